// First: starts OpenTelemetry before http, express, mongodb and graphql are loaded.
import { shutdownTelemetry } from '../core/observability/instrument';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, SUBGRAPH_NAMES } from '../core/config';
import type { RunningService } from '../core/server/subgraph-server';
import { createPubSub } from '../core/pubsub';
import { DbManager } from '../core/tenancy/db';
import { createServer as createGateway } from '../gateway';
import { upsertPlatformUser } from '../subgraphs/tenant/admin';
import { seedDemo } from './seed-demo';
import { SUBGRAPHS } from './subgraphs';

/**
 * The whole system in one process for a laptop: five subgraphs on 4001-4005, the
 * gateway on 4000, MongoDB from MONGODB_URI or an embedded mongodb-memory-server,
 * and demo data. Production runs each service on its own (see docker-compose.yml).
 */
async function main() {
  let uri = process.env.MONGODB_URI;
  let memory: { stop(): Promise<unknown> } | undefined;
  if (!uri) {
    console.log('MONGODB_URI not set: starting an embedded MongoDB (mongodb-memory-server)...');
    const { MongoMemoryServer } = await import('mongodb-memory-server');
    const server = await MongoMemoryServer.create();
    memory = server;
    uri = server.getUri();
  }
  const env = { ...process.env, MONGODB_URI: uri };
  const base = loadConfig('gateway', env);
  const db = await DbManager.connect(uri, base.dbPrefix);
  // Redis when configured, else one in-process bus shared by every service here.
  const pubsub = createPubSub(base.redisUrl);
  const services: RunningService[] = [];
  for (const name of SUBGRAPH_NAMES) {
    // PORT is the gateway's; subgraphs keep their default ports here.
    services.push(await SUBGRAPHS[name]!.createServer(loadConfig(name, { ...env, PORT: undefined }), db, { pubsub }));
  }
  const gateway = await createGateway(base, { pubsub });
  services.push(gateway);

  const password = process.env.DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
  await upsertPlatformUser(db, { email: 'admin@studyspot.local', name: 'Platform Admin', password, role: 'super_admin' });
  const gql = async (query: string, variables = {}, headers: Record<string, string> = {}) => {
    const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const login = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: 'admin@studyspot.local', password } });
  const seeded = await seedDemo(gql, login.data.login.accessToken, password);

  console.log(`\nStudySpot Graph is up: ${gateway.url.replace('127.0.0.1', 'localhost')}`);
  console.log(`Platform admin: admin@studyspot.local  password: ${password}`);
  console.log(`Live dashboard: ${gateway.url.replace('127.0.0.1', 'localhost').replace('/graphql', '/dashboard')}  (tenant slug + owner login)`);
  if (seeded.length) console.log(`Demo tenants: ${seeded.map((s) => `${s} (owner@${s}.demo)`).join(', ')} — same password`);

  const shutdown = async () => {
    for (const s of services.reverse()) await s.stop();
    await db.close();
    await pubsub.close();
    await memory?.stop();
    await shutdownTelemetry();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
