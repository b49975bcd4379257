import jwt from 'jsonwebtoken';
import { loadConfig } from '../core/config';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { signBody, SIGNATURE_HEADER } from '../core/security/signing';
import { testSupergraph } from './helpers/supergraph';
import { ensureExplorerBundle } from '../scripts/build-explorer';
import { ensureRedis } from './helpers/redis';
import { startSystem, TEST_PASSWORD, type GqlResult, type System, type TestTenant } from './helpers/system';

// Protections of issue #7: JWT key ring, HTTP hardening, rate limits and login
// lockout, gateway → subgraph request signing. Everything through HTTP.
const K1 = 'k1-secret-k1-secret-k1-secret-k1-secret';
const K2 = 'k2-secret-k2-secret-k2-secret-k2-secret';
const SIGNING = 'signing-secret-signing-secret-signing-00';
const ORIGIN = 'https://app.studyspot.test';

let sys: System;
let a: TestTenant;
let b: TestTenant;
let aLibrary: string;
/** A second gateway on the same subgraphs: production mode and tiny rate limits. */
let limited: GatewayService;
let supergraphSdl: string;

beforeAll(async () => {
  // The explorer CSP check needs the bundle (a fresh clone has only run `npm ci`).
  await ensureExplorerBundle();
  sys = await startSystem({
    JWT_KEYS: `k2:${K2},k1:${K1}`,
    GATEWAY_SIGNING_SECRET: SIGNING,
    CORS_ORIGINS: `${ORIGIN},https://admin.studyspot.test`,
    LOGIN_MAX_FAILURES: '3',
    LOGIN_LOCKOUT_MINUTES: '1',
    TRUST_PROXY: '1',
  });
  a = await sys.createTenant('sec-a');
  b = await sys.createTenant('sec-b');
  aLibrary = (await sys.ok(`mutation { createLibrary(input: { name: "A Hall", capacity: 5 }) { id } }`, {}, { token: a.ownerToken })).createLibrary.id;
  limited = await createGateway(
    {
      ...sys.config,
      env: 'production',
      subgraphUrls: sys.subgraphUrls,
      security: { ...sys.config.security, rateLimitIp: 5, rateLimitUser: 4, rateLimitTenant: 6 },
    },
    { supergraphSdl: (supergraphSdl = await testSupergraph()), pubsub: sys.pubsub },
  );
}, 60_000);
afterAll(async () => {
  await limited?.stop();
  await sys?.stop();
});

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const LIBS = `query Libs { libraries { id name } }`;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('JWT key ring (kid), fixed algorithm', () => {
  const claims = () => ({ sub: 'x', role: 'owner', tid: a.id, tsl: a.slug });

  it('login tokens name the newest key; tokens of the previous key still verify', async () => {
    expect(jwt.decode(a.ownerToken, { complete: true })?.header).toMatchObject({ alg: 'HS256', kid: 'k2' });
    const old = jwt.sign(claims(), K1, { algorithm: 'HS256', issuer: 'studyspot', keyid: 'k1', expiresIn: 60 });
    const legacy = jwt.sign(claims(), K1, { algorithm: 'HS256', issuer: 'studyspot', expiresIn: 60 }); // before kids existed
    for (const token of [old, legacy]) {
      const res = await sys.gql(LIBS, {}, { token });
      expect(res.errors).toBeUndefined();
      expect(res.data.libraries.map((l: { id: string }) => l.id)).toContain(aLibrary);
    }
  });

  it('refuses alg:none, another algorithm, an unknown kid, the wrong key for a kid, expired and tampered tenant claims', async () => {
    const good = a.ownerToken;
    const [h, , s] = good.split('.');
    const payload = jwt.decode(good) as Record<string, unknown>;
    const tokens: Record<string, string> = {
      none: `${b64({ alg: 'none', typ: 'JWT', kid: 'k2' })}.${b64(claims())}.`,
      hs512: jwt.sign(claims(), K2, { algorithm: 'HS512', issuer: 'studyspot', keyid: 'k2', expiresIn: 60 }),
      unknownKid: jwt.sign(claims(), K2, { algorithm: 'HS256', issuer: 'studyspot', keyid: 'k9', expiresIn: 60 }),
      wrongKeyForKid: jwt.sign(claims(), K2, { algorithm: 'HS256', issuer: 'studyspot', keyid: 'k1', expiresIn: 60 }),
      foreignKey: jwt.sign(claims(), 'x'.repeat(40), { algorithm: 'HS256', issuer: 'studyspot', expiresIn: 60 }),
      expired: jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 5 }, K2, { algorithm: 'HS256', issuer: 'studyspot', keyid: 'k2' }),
      // A's valid token with B's tenant id pasted into the payload, signature kept.
      tamperedTenant: `${h}.${b64({ ...payload, tid: b.id, tsl: b.slug })}.${s}`,
    };
    for (const [name, token] of Object.entries(tokens)) {
      const res = await sys.gql(LIBS, {}, { token });
      expect({ name, code: code(res), data: res.data }).toEqual({ name, code: 'UNAUTHENTICATED', data: null });
    }
  });

  it('refresh-token reuse revokes the family (still true with the key ring)', async () => {
    const first = await sys.login(a.ownerEmail, TEST_PASSWORD, a.slug);
    const REFRESH = `mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }`;
    const second = (await sys.ok(REFRESH, { t: first.refreshToken })).refreshToken;
    expect(code(await sys.gql(REFRESH, { t: first.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(REFRESH, { t: second.refreshToken }))).toBe('UNAUTHENTICATED');
  });
});

describe('configuration of the protections', () => {
  it('refuses malformed key rings and short secrets at start-up', () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: K1 };
    expect(() => loadConfig('gateway', { ...base, JWT_KEYS: 'k2:short' })).toThrow(/JWT_KEYS: secret of key k2/);
    expect(() => loadConfig('gateway', { ...base, JWT_KEYS: `k1:${K1},k1:${K2}` })).toThrow(/duplicate kid/);
    expect(() => loadConfig('gateway', { ...base, JWT_KEYS: K1 })).toThrow(/JWT_KEYS/);
    expect(() => loadConfig('gateway', { ...base, GATEWAY_SIGNING_SECRET: 'short' })).toThrow(/GATEWAY_SIGNING_SECRET/);
    const cfg = loadConfig('gateway', { ...base, JWT_KEYS: `k2:${K2},k1:${K1}`, CORS_ORIGINS: 'https://a.test, https://b.test' });
    expect([cfg.jwtSecret, cfg.security.jwtKeys.map((k) => k.kid), cfg.security.corsOrigins]).toEqual([K2, ['k2', 'k1'], ['https://a.test', 'https://b.test']]);
    expect(loadConfig('gateway', base).security.jwtKeys).toEqual([{ kid: 'k1', secret: K1 }]);
  });
});

describe('gateway HTTP hardening', () => {
  it('sends security headers on API responses and keeps the explorer CSP', async () => {
    const res = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const page = await fetch(sys.gatewayUrl.replace(/\/graphql$/, '/explorer'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers CORS only for allow-listed origins', async () => {
    const preflight = (origin: string) =>
      fetch(sys.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses CSRF-able requests (text/plain POST, GET without preflight header), batches and oversized bodies', async () => {
    const mutation = `mutation { createLibrary(input: { name: "CSRF", capacity: 1 }) { id } }`;
    const plain = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${a.ownerToken}` },
      body: JSON.stringify({ query: mutation }),
    });
    expect(plain.status).toBe(400);
    const get = await fetch(`${sys.gatewayUrl}?query=${encodeURIComponent('{ libraries { id } }')}`, { headers: { authorization: `Bearer ${a.ownerToken}` } });
    expect(get.status).toBe(400);
    const batch = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(batch.status).toBe(400);
    const huge = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(1_100_000) } }),
    });
    expect(huge.status).toBe(413);
    const libs = await sys.ok(`{ libraries { name } }`, {}, { token: a.ownerToken });
    expect(libs.libraries.map((l: { name: string }) => l.name)).not.toContain('CSRF');
  });

  it('hides field suggestions in production', async () => {
    const typo = `{ librarie { id } }`;
    const dev = await sys.gql(typo, {}, { token: a.ownerToken });
    expect(dev.errors?.[0]?.message).toMatch(/Did you mean/);
    const prod = await sys.gql(typo, {}, { token: b.ownerToken, url: limited.url, headers: { 'x-forwarded-for': '10.9.0.1' } });
    expect(code(prod)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(prod.errors)).not.toMatch(/Did you mean|libraries/);
  });
});

describe('rate limits (RATE_LIMITED, 429, Retry-After)', () => {
  const call = (ip: string, token?: string) => sys.gql(LIBS, {}, { url: limited.url, token, headers: { 'x-forwarded-for': ip } });

  it('per IP', async () => {
    for (let i = 0; i < 5; i++) expect((await call('10.0.0.1')).status).toBe(200);
    const res = await fetch(limited.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' },
      body: '{"query":"{ __typename }"}',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as GqlResult).errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', errorCode: 4029 });
    expect((await call('10.0.0.2')).status).toBe(200);
  });

  it('per user, then per tenant; other tenants unaffected', async () => {
    // Each call from its own address, so only the user and tenant budgets run out.
    for (let i = 0; i < 4; i++) expect((await call(`10.1.0.${i}`, a.ownerToken)).errors).toBeUndefined();
    const user = await call('10.1.0.9', a.ownerToken);
    expect([user.status, code(user)]).toEqual([429, 'RATE_LIMITED']);
    const manager = await sys.userToken(a, 'manager');
    for (let i = 0; i < 2; i++) expect((await call(`10.2.0.${i}`, manager)).errors).toBeUndefined();
    const tenant = await call('10.2.0.9', manager);
    expect([tenant.status, code(tenant)]).toEqual([429, 'RATE_LIMITED']);
    expect((await call('10.3.0.1', b.ownerToken)).errors).toBeUndefined();
  });

  it('are shared by gateway instances through Redis', async () => {
    const redis = await ensureRedis();
    const cfg = { ...sys.config, redisUrl: redis.url, subgraphUrls: sys.subgraphUrls, security: { ...sys.config.security, rateLimitIp: 3 } };
    const [g1, g2] = [await createGateway(cfg, { supergraphSdl, pubsub: sys.pubsub }), await createGateway(cfg, { supergraphSdl, pubsub: sys.pubsub })];
    try {
      const ip = `10.7.${Date.now() % 250}.1`; // a Redis shared between runs keeps keys for a minute
      const on = (g: GatewayService) => sys.gql(`{ __typename }`, {}, { url: g.url, headers: { 'x-forwarded-for': ip } });
      expect((await on(g1)).status).toBe(200);
      expect((await on(g2)).status).toBe(200);
      expect((await on(g1)).status).toBe(200);
      expect((await on(g2)).status).toBe(429);
    } finally {
      await g1.stop();
      await g2.stop();
      await redis.stop();
    }
  });

  it("forged tokens do not spend a real user's budget", async () => {
    const forged = jwt.sign({ sub: 'victim', role: 'owner', tid: b.id, tsl: b.slug }, 'z'.repeat(40), { algorithm: 'HS256', issuer: 'studyspot' });
    for (let i = 0; i < 6; i++) await call(`10.4.0.${i}`, forged);
    expect((await call('10.4.1.1', b.ownerToken)).errors).toBeUndefined();
  });
});

describe('login lockout per account + IP', () => {
  const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken } }`;
  const login = (ip: string, email: string, password: string, tenant?: string) =>
    sys.gql(LOGIN, { i: { email, password, tenant } }, { headers: { 'x-forwarded-for': ip } });

  it('locks after 3 failures, even for the right password, only for that IP', async () => {
    for (let i = 0; i < 3; i++) expect(code(await login('10.5.0.1', a.ownerEmail, 'wrong-password', a.slug))).toBe('UNAUTHENTICATED');
    const locked = await login('10.5.0.1', a.ownerEmail, TEST_PASSWORD, a.slug);
    expect([locked.status, code(locked), locked.data?.login ?? null]).toEqual([429, 'RATE_LIMITED', null]);
    const res = await fetch(sys.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.5.0.1' },
      body: JSON.stringify({ query: LOGIN, variables: { i: { email: a.ownerEmail, password: TEST_PASSWORD, tenant: a.slug } } }),
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(30);
    expect((await login('10.5.0.2', a.ownerEmail, TEST_PASSWORD, a.slug)).data.login.accessToken).toBeTruthy();
  });

  it('counts unknown users and unknown tenants the same way, without telling them apart', async () => {
    const answers: unknown[] = [];
    for (const [email, tenant] of [
      ['nobody@sec-a.test', a.slug],
      [a.ownerEmail, 'no-such-tenant'],
    ]) {
      for (let i = 0; i < 3; i++) {
        const res = await login('10.6.0.1', email, 'wrong-password', tenant);
        answers.push({ code: code(res), message: res.errors?.[0]?.message });
      }
      expect(code(await login('10.6.0.1', email, 'wrong-password', tenant))).toBe('RATE_LIMITED');
    }
    // Same answer as a wrong password for an existing account.
    const real = await login('10.6.0.2', a.ownerEmail, 'wrong-password', a.slug);
    for (const answer of answers) expect(answer).toEqual({ code: real.errors?.[0]?.extensions?.code, message: real.errors?.[0]?.message });
  });
});

describe('subgraphs accept only signed requests (defence in depth)', () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Library { id name } } }`;
  const direct = (token: string, body: string, signature?: string) =>
    fetch(sys.subgraphUrls.tenant, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(signature ? { [SIGNATURE_HEADER]: signature } : {}) },
      body,
    }).then(async (r) => ({ status: r.status, ...((await r.json()) as Omit<GqlResult, 'status'>) }));
  let body: string;
  beforeAll(() => void (body = JSON.stringify({ query: ENTITIES, variables: { r: [{ __typename: 'Library', id: aLibrary }] } })));

  it('refuses unsigned, tampered and stale requests even with a valid token', async () => {
    const unsigned = await direct(a.ownerToken, body);
    expect([unsigned.status, code(unsigned as GqlResult)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(unsigned.data).toBeUndefined();
    const tampered = await direct(a.ownerToken, body.replace('Library', 'Library '), signBody(SIGNING, body));
    expect(tampered.status).toBe(401);
    const stale = await direct(a.ownerToken, body, signBody(SIGNING, body, Date.now() - 10 * 60_000));
    expect(stale.status).toBe(401);
    const wrongSecret = await direct(a.ownerToken, body, signBody('not-the-secret-not-the-secret-not-the', body));
    expect(wrongSecret.status).toBe(401);
  });

  it("a signed direct _entities call with another tenant's representations returns nothing", async () => {
    const own = await direct(a.ownerToken, body, signBody(SIGNING, body));
    expect(own.data?._entities).toEqual([{ id: aLibrary, name: 'A Hall' }]);
    const foreign = await direct(b.ownerToken, body, signBody(SIGNING, body));
    expect(foreign.data?._entities).toEqual([null]);
  });

  it('internal calls between subgraphs are signed (provisioning, billing → student)', async () => {
    // createTenant provisions every peer through signed /internal/provision calls.
    const c = await sys.createTenant('sec-c');
    expect((await sys.ok(`{ students { totalCount } }`, {}, { token: c.ownerToken })).students.totalCount).toBe(0);
    // recordPayment asks the student subgraph for the student's library (core/internal.ts).
    const lib = (await sys.ok(`mutation { createLibrary(input: { name: "C Hall", capacity: 5 }) { id } }`, {}, { token: c.ownerToken })).createLibrary.id;
    const student = (
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: 'Asha', phone: '9876543210', libraryId: lib } },
        { token: c.ownerToken },
      )
    ).createStudent.id;
    const paid = await sys.ok(
      `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { library { id } } }`,
      { i: { studentId: student, amount: 1000, method: 'CASH' } },
      { token: c.ownerToken },
    );
    expect(paid.recordPayment.library.id).toBe(lib);
  });
});
