import { randomBytes } from 'node:crypto';
import { loadConfig, SUBGRAPH_NAMES, type ServiceConfig, type SubgraphName } from '../../core/config';
import type { RunningService } from '../../core/server/subgraph-server';
import { DbManager } from '../../core/tenancy/db';
import { InProcessPubSub, type PubSub } from '../../core/pubsub';
import { createServer as createGateway, type GatewayService } from '../../gateway';
import { SUBGRAPHS } from '../../scripts/subgraphs';
import { upsertPlatformUser } from '../../subgraphs/tenant/platform-user.service';
import { gatewayClient, SUPER_EMAIL, TEST_PASSWORD, type Client } from './client';
import { testSupergraph } from './supergraph';

export { TEST_PASSWORD, type GqlOptions, type GqlResult, type TestTenant } from './client';

export interface System extends Client {
  gatewayUrl: string;
  /** ws:// URL of the gateway's graphql-ws endpoint (same path as HTTP). */
  wsUrl: string;
  gateway: GatewayService;
  pubsub: PubSub;
  subgraphUrls: Record<SubgraphName, string>;
  /** A separate pool for assertions straight on the database. */
  db: DbManager;
  config: ServiceConfig;
  stop(): Promise<void>;
}

/** Starts five subgraphs and the gateway in-process on port 0, on fresh databases. */
export async function startSystem(
  env: Record<string, string> = {},
  /** Per-subgraph options passed to its createServer (e.g. messaging's provider). */
  options: Partial<Record<SubgraphName, object>> & { pubsub?: PubSub } = {},
): Promise<System> {
  // One in-process bus for every service unless a test brings its own (e.g. Redis).
  const pubsub = options.pubsub ?? new InProcessPubSub();
  const prefix = `t${randomBytes(4).toString('hex')}_`;
  const baseEnv = {
    NODE_ENV: 'test',
    MONGODB_URI: process.env.MONGODB_URI,
    DB_PREFIX: prefix,
    JWT_SECRET: 'test-secret-test-secret-test-secret-000',
    ACCOUNT_KEYS: 'k1:test-account-key-test-account-key-000',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PORT: '0',
    // Production serves /metrics on a port of its own (9464 by default): a free one per service here.
    ...(env.NODE_ENV === 'production' ? { METRICS_PORT: '0' } : {}),
    ...env,
  };
  const config = loadConfig('gateway', baseEnv);
  const db = await DbManager.connect(config.mongodbUri!, prefix, { monitorCommands: true, maxTenants: config.tenantConnectionsMax });
  const subgraphUrls = {} as Record<SubgraphName, string>;
  const services: RunningService[] = [];
  for (const name of SUBGRAPH_NAMES) {
    const mod = SUBGRAPHS[name];
    if (!mod) continue;
    // All services share one mutable URL map, filled in as each one starts.
    const svc = await mod.createServer({ ...loadConfig(name, baseEnv), subgraphUrls }, db, { pubsub, ...options[name] });
    subgraphUrls[name] = svc.url;
    services.push(svc);
  }
  // Composed from the code under test (once per jest run); tests/schema.test.ts proves it equals the checked-in file.
  const supergraphSdl = await testSupergraph();
  const gateway = await createGateway({ ...config, subgraphUrls }, { supergraphSdl, pubsub });
  services.push(gateway);

  // The super admin exists first; the client logs in as them.
  await upsertPlatformUser(db, { email: SUPER_EMAIL, name: 'Root', password: TEST_PASSWORD, role: 'super_admin' });
  const client = gatewayClient(gateway.url);
  client.superToken = (await client.login(SUPER_EMAIL, TEST_PASSWORD)).accessToken;

  return {
    gatewayUrl: gateway.url,
    wsUrl: gateway.url.replace(/^http/, 'ws'),
    gateway,
    pubsub,
    subgraphUrls,
    db,
    config,
    ...client,
    async stop() {
      for (const svc of services.reverse()) await svc.stop();
      await dropDatabases(db, prefix);
      await db.close();
    },
  };
}

async function dropDatabases(db: DbManager, prefix: string): Promise<void> {
  const admin = db.platform().db!.admin();
  const { databases } = await admin.listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (name.startsWith(prefix)) await db.tenant(name).dropDatabase();
  }
}
