// First `.env`, then OpenTelemetry, before http, express, mongodb and graphql are loaded.
import './load-env';
import { shutdownTelemetry } from '../core/observability/instrument';
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { relative } from 'node:path';
import { ConfigError, loadConfig, SUBGRAPH_NAMES, type SubgraphName } from '../core/config';
import type { RunningService } from '../core/server/subgraph-server';
import { createPubSub } from '../core/pubsub';
import { DbManager } from '../core/tenancy/db';
import { createServer as createGateway } from '../gateway';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';
import { DEMO_TENANTS } from './demo/tenants';
import { seedDemo } from './seed-demo';
import { renderStartBlock } from './start-block';
import { SUBGRAPHS } from './subgraphs';

/**
 * The whole system in one process for a laptop: five subgraphs on 4001-4005, the
 * gateway on 4000, MongoDB from MONGODB_URI or an embedded mongodb-memory-server,
 * and demo data. Production runs each service on its own (see docker-compose.yml).
 * Reads `.env` (never over variables already set). Service logs go to logs/studyspot.log
 * unless LOG_FILE or LOG_FORMAT say otherwise, so the block printed last stays readable.
 */
async function main() {
  if (!process.env.LOG_FILE && !process.env.LOG_FORMAT) process.env.LOG_FILE = 'logs/studyspot.log';
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
  const db = await DbManager.connect(uri, base.dbPrefix, { maxTenants: base.tenantConnectionsMax });
  // Redis when configured, else one in-process bus shared by every service here.
  const pubsub = createPubSub(base.redisUrl);
  const services: RunningService[] = [];
  // Subgraphs on 4001-4005, or PORT+1..PORT+5 when PORT is set (PORT=0: free ports); one shared
  // URL map, filled in as each starts, for the gateway and internal calls.
  const subgraphUrls: Partial<Record<SubgraphName, string>> = { ...base.subgraphUrls };
  for (const [i, name] of SUBGRAPH_NAMES.entries()) {
    const offset = (n: number | undefined) => (n ? String(n + 1 + i) : n?.toString());
    const config = loadConfig(name, { ...env, PORT: offset(process.env.PORT === undefined ? undefined : base.port), METRICS_PORT: offset(base.metricsPort) });
    const svc = await SUBGRAPHS[name]!.createServer({ ...config, subgraphUrls }, db, { pubsub });
    subgraphUrls[name] = svc.url;
    services.push(svc);
  }
  const gateway = await createGateway({ ...base, subgraphUrls }, { pubsub });
  services.push(gateway);

  const password = process.env.DEMO_PASSWORD ?? randomBytes(9).toString('base64url');
  await upsertPlatformUser(db, { email: 'admin@studyspot.local', name: 'Platform Admin', password, role: 'super_admin' });
  const gql = async (query: string, variables = {}, headers: Record<string, string> = {}) => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  };
  const login = await gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, { i: { email: 'admin@studyspot.local', password } });
  // DEMO_DATA=off: an empty platform (only the admin).
  const withDemo = process.env.DEMO_DATA !== 'off';
  const seeded = withDemo ? await seedDemo(gql, login.data.login.accessToken, password) : [];

  console.log(
    renderStartBlock({
      env: base.env,
      apiUrl: gateway.url.replace('127.0.0.1', 'localhost'),
      metrics: [gateway, ...services.slice(0, -1)].map((s, i) => ({ service: i ? SUBGRAPH_NAMES[i - 1] : 'gateway', url: s.metricsUrl ?? '' })),
      adminEmail: 'admin@studyspot.local',
      password,
      seeded,
      existing: withDemo ? DEMO_TENANTS.map((t) => t.slug).filter((slug) => !seeded.includes(slug)) : [],
      mongodbUri: uri,
      embedded: !!memory,
      dbPrefix: base.dbPrefix,
      logFile: base.logFile && relative(process.cwd(), base.logFile),
    }),
  );

  const shutdown = async () => {
    for (const s of services.reverse()) await s.stop();
    await db.close();
    await pubsub.close();
    await memory?.stop();
    await shutdownTelemetry();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
