import { startSystem } from './helpers/system';
import { type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

let sys: SharedSystem;
let a: TestTenant;
let b: TestTenant;
let partnerUrl: string;
let bStudent: string;

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id prefix scopes rateLimitPerMinute } } }`;
const ALL_SCOPES = ['libraries:read', 'students:list', 'attendance:read', 'attendance:write'];

async function newKey(t: TestTenant, input: Record<string, unknown> = {}) {
  const r = await sys.ok(CREATE_KEY, { i: { name: 'integration', scopes: ALL_SCOPES, ...input } }, { token: t.ownerToken });
  return r.createApiKey as { key: string; apiKey: { id: string; prefix: string } };
}

async function partner(key: string | null, query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  // As a current client (e.g. Apollo Client 4) asks: request errors are then 4xx (tests/graphql-over-http.test.ts covers application/json).
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json;q=0.9' };
  if (key) headers['x-api-key'] = key;
  const res = await fetch(partnerUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables, operationName }) });
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
    body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

async function seed(t: TestTenant, name: string) {
  const lib = (await sys.ok(`mutation($n: String!) { createLibrary(input: { name: $n, capacity: 10 }) { id } }`, { n: name }, { token: t.ownerToken }))
    .createLibrary.id;
  const st = await sys.ok(
    `mutation($l: ID!) { createStudent(input: { name: "Nila", phone: "9876543210", libraryId: $l }) { id } }`,
    { l: lib },
    { token: t.ownerToken },
  );
  return st.createStudent.id as string;
}

beforeAll(async () => {
  sys = await sharedSystem();
  partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
  a = await sys.createTenant('partner-a');
  b = await sys.createTenant('partner-b');
  await seed(a, 'A Hall');
  bStudent = await seed(b, 'B Hall');
});
afterAll(() => sys?.stop());

describe('partner endpoint', () => {
  it("runs a public operation with a key, as the key's tenant, and audits it", async () => {
    const { key, apiKey } = await newKey(a);
    expect(key).toMatch(/^ssk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const res = await partner(key, `query Occupancy { libraries { name occupancy { occupied free } } }`, {}, 'Occupancy');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ libraries: [{ name: 'A Hall', occupancy: { occupied: 0, free: 10 } }] });
    const audit = await sys.ok(`query($k: ID) { apiKeyUsage(keyId: $k) { keyId operationName } }`, { k: apiKey.id }, { token: a.ownerToken });
    expect(audit.apiKeyUsage).toEqual([{ keyId: apiKey.id, operationName: 'Occupancy' }]);
    // Shown once: only a hash is stored.
    const stored = await sys.db.platform().collection('api_keys').findOne({ prefix: apiKey.prefix });
    expect(JSON.stringify(stored)).not.toContain(key.split('_').slice(2).join('_')); // the whole secret (it may contain '_')
  });

  it('fields outside the public contract are unknown, not forbidden', async () => {
    const { key } = await newKey(a);
    for (const [query, message] of [
      ['{ students { edges { node { phone } } } }', 'Cannot query field "phone" on type "Student".'],
      ['{ payments { amount } }', 'Cannot query field "payments" on type "Query".'],
      ['{ wallet { sms } }', 'Cannot query field "wallet" on type "Query".'],
      ['mutation { createLibrary(input: { name: "x", capacity: 1 }) { id } }', 'Cannot query field "createLibrary" on type "Mutation".'],
    ]) {
      const res = await partner(key, query);
      expect({ query, status: res.status, code: res.body.errors?.[0].extensions?.code }).toEqual({ query, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(res.body.errors?.[0].message).toBe(message);
      expect(JSON.stringify(res.body)).not.toMatch(/FORBIDDEN|Did you mean/);
    }
  });

  it("a key of tenant A cannot reach tenant B's data", async () => {
    const { key } = await newKey(a);
    expect((await partner(key, `query($id: ID!) { student(id: $id) { name } }`, { id: bStudent })).body.data).toEqual({ student: null });
    const res = await partner(key, `mutation($id: ID!) { checkIn(studentId: $id) { id } }`, { id: bStudent });
    expect(res.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const names = (await partner(key, `{ students { edges { node { name library { name } } } } }`)).body.data.students.edges;
    expect(JSON.stringify(names)).not.toContain('B Hall');
  });

  it('a scope the key lacks is FORBIDDEN', async () => {
    const { key } = await newKey(a, { scopes: ['libraries:read'] });
    expect((await partner(key, `{ libraries { name } }`)).body.data.libraries).toHaveLength(1);
    expect((await partner(key, `{ students { totalCount } }`)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('missing, malformed, revoked, rotated-away and expired keys are refused at once', async () => {
    expect((await partner(null, `{ libraries { name } }`)).status).toBe(401);
    expect((await partner('ssk_nope', `{ libraries { name } }`)).status).toBe(401);
    const k1 = await newKey(a);
    await sys.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: k1.apiKey.id }, { token: a.ownerToken });
    const revoked = await partner(k1.key, `{ libraries { name } }`);
    expect([revoked.status, revoked.body.errors?.[0].extensions?.code, revoked.body.data]).toEqual([401, 'UNAUTHENTICATED', undefined]);

    const k2 = await newKey(a);
    const rotated = (await sys.ok(`mutation($id: ID!) { rotateApiKey(id: $id) { key } }`, { id: k2.apiKey.id }, { token: a.ownerToken })).rotateApiKey.key;
    expect((await partner(k2.key, `{ libraries { name } }`)).status).toBe(401);
    expect((await partner(rotated, `{ libraries { name } }`)).status).toBe(200);

    const k3 = await newKey(a);
    await sys.db
      .platform()
      .collection('api_keys')
      .updateOne({ prefix: k3.apiKey.prefix }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await partner(k3.key, `{ libraries { name } }`)).body.errors?.[0].message).toBe('This API key has expired');
  });

  it('rate limits per key with 429, Retry-After and RateLimit headers', async () => {
    const { key } = await newKey(a, { rateLimitPerMinute: 3 });
    const other = await newKey(a, { rateLimitPerMinute: 3 });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await partner(key, `{ libraries { name } }`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.headers.get('ratelimit-limit')).toBe('3');
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    expect((await partner(other.key, `{ libraries { name } }`)).status).toBe(200);
  });

  it('only owners manage keys; bad input changes nothing', async () => {
    const manager = await sys.userToken(a, 'manager');
    const res = await sys.gql(CREATE_KEY, { i: { name: 'x', scopes: ['libraries:read'] } }, { token: manager });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const before = await sys.db.platform().collection('api_keys').countDocuments();
    for (const i of [
      { name: 'x', scopes: ['payments:read'] },
      { name: 'x', scopes: [] },
      { name: '', scopes: ['libraries:read'] },
      { name: 'x', scopes: ['libraries:read'], expiresAt: '2001-01-01T00:00:00Z' },
    ]) {
      expect((await sys.gql(CREATE_KEY, { i }, { token: a.ownerToken })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await sys.db.platform().collection('api_keys').countDocuments()).toBe(before);
    const foreign = await newKey(b);
    const revoke = await sys.gql(`mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: foreign.apiKey.id }, { token: a.ownerToken });
    expect(revoke.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('introspection', () => {
  const TYPES = `{ __schema { types { name } } }`;
  const names = (body: { data?: { __schema: { types: { name: string }[] } } }) => body.data!.__schema.types.map((t) => t.name);

  it('/partner/graphql shows only the public schema', async () => {
    const { key } = await newKey(a);
    const types = names((await partner(key, TYPES)).body);
    expect(types).toEqual(expect.arrayContaining(['Student', 'Library', 'Occupancy', 'Attendance']));
    for (const hidden of ['Payment', 'Wallet', 'Tenant', 'ApiKey', 'Notification', 'IdProof']) expect(types).not.toContain(hidden);
  });

  it('/graphql in production: platform staff only', async () => {
    const prod = await startSystem({ NODE_ENV: 'production' });
    try {
      const t = await prod.createTenant('prod-intro');
      const denied = await prod.gql(TYPES, {}, { token: t.ownerToken });
      expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await prod.gql(TYPES)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(names((await prod.gql(TYPES, {}, { token: prod.superToken })) as never)).toContain('Payment');
      // Ordinary operations are unaffected.
      expect((await prod.ok(`{ tenant { slug } }`, {}, { token: t.ownerToken })).tenant.slug).toBe('prod-intro');
    } finally {
      await prod.stop();
    }
  });
});
