import { randomBytes } from 'node:crypto';

// Light on purpose: a test file on the shared system (helpers/shared-system.ts) loads this
// and not the application (loading the app costs ~2-4 s of every test file).

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
export interface GqlResult<T = any> {
  status: number;
  data?: T;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
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

/** What a test does with a running system through its gateway, over HTTP. */
export interface Client {
  superToken: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
  gql<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<GqlResult<T>>;
  /** gql() that fails the test on any error and returns data. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
  ok<T = any>(query: string, variables?: Record<string, unknown>, opts?: GqlOptions): Promise<T>;
  login(email: string, password: string, tenant?: string): Promise<{ accessToken: string; refreshToken: string }>;
  /**
   * Creates a tenant with every module switched on, so tests of other features are not
   * bound to the plan's modules; `extra.modules: 'plan'` keeps the plan's defaults, an
   * object sets those switches (setTenantModules).
   */
  createTenant(slug: string, extra?: Record<string, unknown>): Promise<TestTenant>;
  /** Creates a staff member with `role` in the tenant and returns their access token. */
  userToken(tenant: TestTenant, role: 'owner' | 'manager' | 'staff'): Promise<string>;
}

export const TEST_PASSWORD = 'correct-horse-battery';
export const SUPER_EMAIL = 'root@studyspot.test';

/** The client of a gateway; `superToken` is that of the platform's super admin (helpers/system.ts makes one). */
export function gatewayClient(gatewayUrl: string, superToken = ''): Client {
  const gql: Client['gql'] = async (query, variables = {}, opts = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.tenant) headers['x-tenant'] = opts.tenant;
    const res = await fetch(opts.url ?? gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as GqlResult;
    return { ...body, status: res.status };
  };
  const ok: Client['ok'] = async (query, variables, opts) => {
    const res = await gql(query, variables, opts);
    if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const login: Client['login'] = async (email, password, tenant) => {
    const data = await ok(`mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`, { i: { email, password, tenant } });
    return data.login;
  };

  const client: Client = { superToken, gql, ok, login, createTenant: undefined!, userToken: undefined! };
  const ALL_MODULES = { attendance: true, payments: true, messaging: true, bookings: true, analytics: true };
  client.createTenant = async (slug, extra = {}) => {
    const ownerEmail = `owner@${slug}.test`;
    const { modules = ALL_MODULES, ...input } = extra;
    const data = await ok(
      `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id slug } }`,
      { i: { name: `Tenant ${slug}`, slug, owner: { email: ownerEmail, name: 'Owner', password: TEST_PASSWORD }, ...input } },
      { token: client.superToken },
    );
    if (modules !== 'plan') {
      await ok(`mutation($i: TenantModulesInput!) { setTenantModules(input: $i) { id } }`, { i: modules }, { token: client.superToken, tenant: slug });
    }
    const ownerToken = (await login(ownerEmail, TEST_PASSWORD, slug)).accessToken;
    return { id: data.createTenant.id, slug, ownerEmail, password: TEST_PASSWORD, ownerToken };
  };
  client.userToken = async (tenant, role) => {
    const email = `${role}-${randomBytes(3).toString('hex')}@${tenant.slug}.test`;
    await ok(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email, name: role, password: TEST_PASSWORD, role } },
      { token: tenant.ownerToken },
    );
    return (await login(email, TEST_PASSWORD, tenant.slug)).accessToken;
  };
  return client;
}
