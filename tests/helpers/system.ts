import { randomBytes } from 'node:crypto';
import { loadConfig, SUBGRAPH_NAMES, type ServiceConfig, type SubgraphName } from '../../core/config';
import type { RunningService } from '../../core/server/subgraph-server';
import { DbManager } from '../../core/tenancy/db';
import { InProcessPubSub, type PubSub } from '../../core/pubsub';
import { createServer as createGateway, type GatewayService } from '../../gateway';
import { SUBGRAPHS } from '../../scripts/subgraphs';
import { upsertPlatformUser } from '../../subgraphs/tenant/platform-user.service';
import { testSupergraph } from './supergraph';

export interface GqlResult<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[]; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
}

export interface GqlOptions {
  token?: string;
  tenant?: string;
  headers?: Record<string, string>;
  /** Send to this URL instead of the gateway (e.g. a subgraph directly). */
  url?: string;
}

export interface TestTenant {
  id: string;
  slug: string;
  ownerEmail: string;
  password: string;
  ownerToken: string;
}

export interface System {
  gatewayUrl: string;
  /** ws:// URL of the gateway's graphql-ws endpoint (same path as HTTP). */
  wsUrl: string;
  gateway: GatewayService;
  pubsub: PubSub;
  subgraphUrls: Record<SubgraphName, string>;
  /** A separate pool for assertions straight on the database. */
  db: DbManager;
  config: ServiceConfig;
  superToken: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResult<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  /** gql() that fails the test on any error and returns data. */
  ok<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
  login(email: string, password: string, tenant?: string): Promise<{ accessToken: string; refreshToken: string }>;
  /**
   * Creates a tenant with every module switched on, so tests of other features are not
   * bound to the plan's modules; `extra.modules: 'plan'` keeps the plan's defaults, an
   * object sets those switches (setTenantModules).
   */
  createTenant(slug: string, extra?: Record<string, unknown>): Promise<TestTenant>;
  /** Creates a staff member with `role` in the tenant and returns their access token. */
  userToken(tenant: TestTenant, role: 'owner' | 'manager' | 'staff'): Promise<string>;
  stop(): Promise<void>;
}

export const TEST_PASSWORD = 'correct-horse-battery';

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
  const db = await DbManager.connect(config.mongodbUri!, prefix, { monitorCommands: true });
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

  const gql: System['gql'] = async (query, variables = {}, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.tenant) headers['x-tenant'] = opts.tenant;
    const res = await fetch(opts.url ?? gateway.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GqlResult;
    return { ...body, status: res.status };
  };
  const ok: System['ok'] = async (query, variables, opts) => {
    const res = await gql(query, variables, opts);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const login: System['login'] = async (email, password, tenant) => {
    const data = await ok(
      `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`,
      { i: { email, password, tenant } },
    );
    return data.login;
  };

  await upsertPlatformUser(db, { email: 'root@studyspot.test', name: 'Root', password: TEST_PASSWORD, role: 'super_admin' });
  const superToken = (await login('root@studyspot.test', TEST_PASSWORD)).accessToken;

  const ALL_MODULES = { attendance: true, payments: true, messaging: true, bookings: true, analytics: true };
  const createTenant: System['createTenant'] = async (slug, extra = {}) => {
    const ownerEmail = `owner@${slug}.test`;
    const { modules = ALL_MODULES, ...input } = extra;
    const data = await ok(
      `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id slug } }`,
      { i: { name: `Tenant ${slug}`, slug, owner: { email: ownerEmail, name: 'Owner', password: TEST_PASSWORD }, ...input } },
      { token: superToken },
    );
    if (modules !== 'plan') {
      await ok(`mutation($i: TenantModulesInput!) { setTenantModules(input: $i) { id } }`, { i: modules }, { token: superToken, tenant: slug });
    }
    const ownerToken = (await login(ownerEmail, TEST_PASSWORD, slug)).accessToken;
    return { id: data.createTenant.id, slug, ownerEmail, password: TEST_PASSWORD, ownerToken };
  };

  const userToken: System['userToken'] = async (tenant, role) => {
    const email = `${role}-${randomBytes(3).toString('hex')}@${tenant.slug}.test`;
    await ok(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email, name: role, password: TEST_PASSWORD, role } },
      { token: tenant.ownerToken },
    );
    return (await login(email, TEST_PASSWORD, tenant.slug)).accessToken;
  };

  return {
    gatewayUrl: gateway.url,
    wsUrl: gateway.url.replace(/^http/, 'ws'),
    gateway,
    pubsub,
    subgraphUrls,
    db,
    config,
    superToken,
    gql,
    ok,
    login,
    createTenant,
    userToken,
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
