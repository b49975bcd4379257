import jwt from 'jsonwebtoken';
import { signAccessToken } from '../core/auth/tokens';
import { topics } from '../core/events';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';

let sys: System;
let t: TestTenant;
beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant('authco');
});
afterAll(() => sys?.stop());

const REFRESH = `mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }`;
const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0]?.extensions?.code;

describe('refresh tokens', () => {
  it('rotates: each refresh token works once and yields a new pair', async () => {
    const first = await sys.login(t.ownerEmail, TEST_PASSWORD, t.slug);
    const second = (await sys.ok(REFRESH, { t: first.refreshToken })).refreshToken;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    const me = await sys.ok(`{ me { role } }`, {}, { token: second.accessToken });
    expect(me.me.role).toBe('owner');
  });

  it('reuse of a spent token revokes the whole family', async () => {
    const first = await sys.login(t.ownerEmail, TEST_PASSWORD, t.slug);
    const second = (await sys.ok(REFRESH, { t: first.refreshToken })).refreshToken;
    const reuse = await sys.gql(REFRESH, { t: first.refreshToken });
    expect(code(reuse)).toBe('UNAUTHENTICATED');
    // The legitimate newest token of that family is dead too.
    expect(code(await sys.gql(REFRESH, { t: second.refreshToken }))).toBe('UNAUTHENTICATED');
    // Another login's family is unaffected.
    const other = await sys.login(t.ownerEmail, TEST_PASSWORD, t.slug);
    expect((await sys.gql(REFRESH, { t: other.refreshToken })).errors).toBeUndefined();
  });

  it('concurrent use of one refresh token succeeds at most once', async () => {
    const { refreshToken } = await sys.login(t.ownerEmail, TEST_PASSWORD, t.slug);
    const results = await Promise.all(Array.from({ length: 5 }, () => sys.gql(REFRESH, { t: refreshToken })));
    expect(results.filter((r) => !r.errors).length).toBe(1);
  });

  it('logout revokes the family', async () => {
    const { refreshToken } = await sys.login(t.ownerEmail, TEST_PASSWORD, t.slug);
    expect((await sys.ok(`mutation($t: String!) { logout(token: $t) }`, { t: refreshToken })).logout).toBe(true);
    expect(code(await sys.gql(REFRESH, { t: refreshToken }))).toBe('UNAUTHENTICATED');
  });
});

describe('access tokens', () => {
  const secret = 'test-secret-test-secret-test-secret-000';

  it('refuses missing, malformed, expired, wrongly signed and alg:none tokens', async () => {
    const claims = { sub: 'x', role: 'owner', tid: t.id, tsl: t.slug };
    const tokens = [
      'not-a-jwt',
      jwt.sign(claims, 'another-secret-another-secret-another', { algorithm: 'HS256', issuer: 'studyspot' }),
      jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, secret, { algorithm: 'HS256', issuer: 'studyspot' }),
      `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`,
    ];
    for (const token of tokens) {
      const res = await sys.gql(`{ libraries { id } }`, {}, { token });
      expect({ token, code: code(res), data: res.data }).toEqual({ token, code: 'UNAUTHENTICATED', data: null });
    }
    expect(code(await sys.gql(`{ libraries { id } }`))).toBe('UNAUTHENTICATED');
  });

  it('an x-tenant header cannot move a tenant user into another tenant', async () => {
    const other = await sys.createTenant('authother');
    await sys.ok(`mutation { createLibrary(input: { name: "Other lib", capacity: 5 }) { id } }`, {}, { token: other.ownerToken });
    const res = await sys.ok(`{ tenant { slug } libraries { name } }`, {}, { token: t.ownerToken, tenant: other.slug });
    expect(res.tenant.slug).toBe('authco');
    expect(res.libraries.map((l: { name: string }) => l.name)).not.toContain('Other lib');
  });

  it('platform users choose a tenant with x-tenant; without one they get BAD_USER_INPUT', async () => {
    expect(code(await sys.gql(`{ libraries { id } }`, {}, { token: sys.superToken }))).toBe('BAD_USER_INPUT');
    const res = await sys.ok(`{ tenant { slug } }`, {}, { token: sys.superToken, tenant: t.slug });
    expect(res.tenant.slug).toBe('authco');
  });

  it('a token forged for a tenant id that does not exist is NOT_FOUND', async () => {
    const token = signAccessToken({ sub: 'x', role: 'owner', tid: '0123456789abcdef01234567', tsl: 'ghost' }, secret, 60);
    expect(code(await sys.gql(`{ libraries { id } }`, {}, { token }))).toBe('NOT_FOUND');
  });
});

describe('suspended tenant', () => {
  it('gets TENANT_SUSPENDED on every tenant-scoped operation, login and refresh; reactivation restores access', async () => {
    const s = await sys.createTenant('suspendco');
    const session = await sys.login(s.ownerEmail, TEST_PASSWORD, s.slug);
    const suspend = await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: s.id }, { token: sys.superToken });
    expect(suspend.suspendTenant.status).toBe('SUSPENDED');

    for (const q of [
      `{ libraries { id } }`,
      `{ tenant { name } }`,
      `{ me { tenant { slug } } }`,
      `mutation { createLibrary(input: { name: "X", capacity: 3 }) { id } }`,
    ]) {
      const res = await sys.gql(q, {}, { token: session.accessToken });
      expect({ q, code: code(res) }).toEqual({ q, code: 'TENANT_SUSPENDED' });
    }
    expect(
      code(await sys.gql(`mutation { login(input: { email: "${s.ownerEmail}", password: "${TEST_PASSWORD}", tenant: "${s.slug}" }) { accessToken } }`)),
    ).toBe('TENANT_SUSPENDED');
    expect(code(await sys.gql(REFRESH, { t: session.refreshToken }))).toBe('TENANT_SUSPENDED');
    const libs = await sys.db.tenant(sys.db.tenantDbName(s.slug)).collection('libraries').countDocuments();
    expect(libs).toBe(0);

    await sys.ok(`mutation($id: ID!) { reactivateTenant(id: $id) { status } }`, { id: s.id }, { token: sys.superToken });
    expect((await sys.ok(`{ tenant { status } }`, {}, { token: session.accessToken })).tenant.status).toBe('ACTIVE');
  });

  it('8 rounds of concurrent suspends, then reactivates: each step has one winner and announces once', async () => {
    const s = await sys.createTenant('suspend-race');
    const events: string[] = [];
    const off = await sys.pubsub.subscribe(topics.tenantStatus, (e) => {
      if ((e as { tenantId?: string }).tenantId === s.id) events.push((e as { status: string }).status);
    });
    try {
      for (let round = 0; round < 8; round++) {
        for (const [op, want] of [
          ['suspendTenant', 'SUSPENDED'],
          ['reactivateTenant', 'ACTIVE'],
        ] as const) {
          const before = events.length;
          const results = await Promise.all(
            Array.from({ length: 4 }, () => sys.gql(`mutation($id: ID!) { ${op}(id: $id) { status } }`, { id: s.id }, { token: sys.superToken })),
          );
          // Losers find the tenant already there: the same answer, no second announcement.
          expect(results.map((r) => r.data?.[op]?.status)).toEqual([want, want, want, want]);
          await new Promise((r) => setTimeout(r, 20));
          expect({ round, op, events: events.slice(before) }).toEqual({ round, op, events: [want.toLowerCase()] });
        }
      }
    } finally {
      off();
    }
    expect((await sys.db.platform().collection('tenants').findOne({ slug: 'suspend-race' }))?.status).toBe('active');
  });

  it('only platform roles can suspend', async () => {
    const res = await sys.gql(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: t.id }, { token: t.ownerToken });
    expect(code(res)).toBe('FORBIDDEN');
    expect((await sys.ok(`{ tenant { status } }`, {}, { token: t.ownerToken })).tenant.status).toBe('ACTIVE');
  });
});
