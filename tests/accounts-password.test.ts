import { loadConfig } from '../core/config';
import { createAccounts } from '../subgraphs/tenant/account-limits.service';
import { startFakeSmtp, type FakeSmtp, type ReceivedMail } from './helpers/fake-messaging';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/** Password change and reset by emailed code (#13 item 7), logins in the audit trail. */

let sys: System;
let smtp: FakeSmtp;
let t: TestTenant;
/** Added to the accounts clock: moves reset codes past their expiry. */
let clockOffset = 0;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  sys = await startSystem(
    {},
    {
      messaging: { channels: { email: { host: '127.0.0.1', port: smtp.port, requireTls: false, from: 'StudySpot <no-reply@studyspot.test>' } } },
      tenant: { accounts: { now: () => Date.now() + clockOffset, resetRequestsPerIp: 1000 } },
    },
  );
  t = await sys.createTenant('acct-pw', { limits: { maxLibraries: 1, maxStudents: 10, maxStaff: 50 } });
});
afterAll(async () => {
  await sys?.stop();
  await smtp?.stop();
});

const CHANGE = `mutation($i: ChangePasswordInput!) { changePassword(input: $i) { accessToken refreshToken mfaRequired } }`;
const REQUEST = `mutation($i: RequestPasswordResetInput!) { requestPasswordReset(input: $i) }`;
const RESET = `mutation($i: ResetPasswordInput!) { resetPassword(input: $i) }`;
const REFRESH = `mutation($t: String!) { refreshToken(token: $t) { accessToken refreshToken } }`;
const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken mfaRequired totpEnrollmentRequired mfaToken } }`;
const LOG = `query($f: AuditFilter) { auditLog(filter: $f, first: 200) { action userId role entityId input result ip } }`;

let n = 0;
/** A new staff member of `t` (email, id). */
async function newUser(role = 'staff'): Promise<{ email: string; id: string }> {
  const email = `user${++n}-${Date.now()}@acct-pw.test`;
  const res = await sys.ok(
    `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
    { i: { email, name: `User ${n}`, password: TEST_PASSWORD, role } },
    { token: t.ownerToken },
  );
  return { email, id: res.createUser.id };
}

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

async function mailsTo(email: string, count: number, timeoutMs = 5000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = smtp.mails.filter((m) => m.to.includes(email));
    if (mails.length >= count || Date.now() > deadline) return mails;
    await sleep(25);
  }
}
async function codeFor(email: string, nth = 1): Promise<string> {
  const mails = await mailsTo(email, nth);
  expect(mails.length).toBeGreaterThanOrEqual(nth);
  const m = /reset code is (\d{6})/.exec(mails[nth - 1].raw);
  expect(m).not.toBeNull();
  return m![1];
}

async function auditEntries(token: string, filter: Record<string, unknown>, atLeast: number, tenant?: string) {
  for (let i = 0; i < 60; i++) {
    const res = await sys.ok(LOG, { f: filter }, { token, tenant });
    if (res.auditLog.length >= atLeast) return res.auditLog;
    await sleep(50);
  }
  throw new Error(`audit entries ${JSON.stringify(filter)} did not appear`);
}

describe('changePassword', () => {
  it('needs the current password, applies the policy, ends every session and returns a new pair', async () => {
    const u = await newUser();
    const first = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const second = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const wrong = await sys.gql(CHANGE, { i: { currentPassword: 'not-my-password', newPassword: 'a-new-password-1' } }, { token: first.accessToken });
    expect([code(wrong), wrong.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'currentPassword: is not your current password']);
    const short = await sys.gql(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'short' } }, { token: first.accessToken });
    expect(code(short)).toBe('BAD_USER_INPUT');
    expect(short.errors?.[0]?.message).toMatch(/newPassword/);
    const same = await sys.gql(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } }, { token: first.accessToken });
    expect(same.errors?.[0]?.message).toBe('newPassword: must differ from the current password');
    // Nothing changed by the refusals.
    await sys.login(u.email, TEST_PASSWORD, t.slug);

    const ok = await sys.ok(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-1' } }, { token: first.accessToken });
    expect(ok.changePassword).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), mfaRequired: false });
    for (const old of [first, second]) expect(code(await sys.gql(REFRESH, { t: old.refreshToken }))).toBe('UNAUTHENTICATED');
    await sys.ok(REFRESH, { t: ok.changePassword.refreshToken });
    expect(code(await sys.gql(LOGIN, { i: { email: u.email, password: TEST_PASSWORD, tenant: t.slug } }))).toBe('UNAUTHENTICATED');
    await sys.login(u.email, 'a-new-password-1', t.slug);

    const [entry] = await auditEntries(t.ownerToken, { action: 'changePassword', userId: u.id }, 1);
    expect(entry).toMatchObject({ role: 'staff', ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(JSON.stringify(entry)).not.toMatch(/a-new-password-1|correct-horse|not-my-password/);
  });

  it('counts a wrong current password as a failed login: the lockout stops password logins too', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    for (let i = 0; i < 5; i++) {
      const r = await sys.gql(CHANGE, { i: { currentPassword: `wrong-${i}-password`, newPassword: 'another-password-2' } }, { token: accessToken });
      expect(code(r)).toBe('BAD_USER_INPUT');
    }
    expect(code(await sys.gql(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'another-password-2' } }, { token: accessToken }))).toBe(
      'RATE_LIMITED',
    );
    expect(code(await sys.gql(LOGIN, { i: { email: u.email, password: TEST_PASSWORD, tenant: t.slug } }))).toBe('RATE_LIMITED');
  });

  it('works for platform users, and only for user accounts', async () => {
    const email = `support-${Date.now()}@studyspot.test`;
    await sys.ok(
      `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
      { i: { email, name: 'Support', password: TEST_PASSWORD, role: 'support' } },
      { token: sys.superToken },
    );
    const s = await sys.login(email, TEST_PASSWORD);
    const ok = await sys.ok(CHANGE, { i: { currentPassword: TEST_PASSWORD, newPassword: 'platform-pass-3' } }, { token: s.accessToken });
    expect(code(await sys.gql(REFRESH, { t: s.refreshToken }))).toBe('UNAUTHENTICATED');
    await sys.ok(REFRESH, { t: ok.changePassword.refreshToken });
    await sys.login(email, 'platform-pass-3');
    expect(code(await sys.gql(CHANGE, { i: { currentPassword: 'x', newPassword: 'platform-pass-4' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('password reset by emailed code', () => {
  it('mails a single-use code (free for the tenant) that sets the password once and ends every session', async () => {
    const u = await newUser('manager');
    const session = await sys.login(u.email, TEST_PASSWORD, t.slug);
    expect(await sys.ok(REQUEST, { i: { email: u.email.toUpperCase(), tenant: t.slug } })).toEqual({ requestPasswordReset: true });
    const c = await codeFor(u.email);
    const [mail] = await mailsTo(u.email, 1);
    expect(mail.raw).toMatch(/Tenant acct-pw password reset code/);

    const wrong = String((Number(c) + 1) % 1_000_000).padStart(6, '0');
    const bad = await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: wrong, newPassword: 'reset-password-1' } });
    expect([code(bad), bad.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'code: is invalid or expired; request a new one']);
    expect(code(await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: 'short' } }))).toBe('BAD_USER_INPUT');
    await sys.login(u.email, TEST_PASSWORD, t.slug); // unchanged so far

    expect(await sys.ok(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: 'reset-password-1' } })).toEqual({ resetPassword: true });
    await sys.login(u.email, 'reset-password-1', t.slug);
    expect(code(await sys.gql(REFRESH, { t: session.refreshToken }))).toBe('UNAUTHENTICATED');
    const reused = await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: 'reset-password-2' } });
    expect(code(reused)).toBe('BAD_USER_INPUT');
    await sys.login(u.email, 'reset-password-1', t.slug);

    // No credits, no message in the tenant's history.
    const msgs = await sys.ok(`{ messages { id } }`, {}, { token: t.ownerToken });
    expect(msgs.messages).toEqual([]);
    const log = await auditEntries(t.ownerToken, { userId: u.id }, 2);
    expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['requestPasswordReset', 'resetPassword']));
    expect(JSON.stringify(log)).not.toContain(c);
  });

  it('keeps the free account email internal: not in the public API, refused to tenant users', async () => {
    const send = `mutation { sendPlatformMail(input: { to: "x@example.com", passwordReset: { code: "123456", expiresInMinutes: 15 } }) }`;
    const viaGateway = await sys.gql(send, {}, { token: t.ownerToken });
    expect(code(viaGateway)).toBe('GRAPHQL_VALIDATION_FAILED');
    const direct = await sys.gql(send, {}, { token: t.ownerToken, url: sys.subgraphUrls.messaging });
    expect(code(direct)).toBe('FORBIDDEN');
  });

  it('answers the same for unknown emails and tenants, and mails nothing', async () => {
    const u = await newUser();
    const before = smtp.mails.length;
    const unknown = await sys.gql(REQUEST, { i: { email: 'nobody@acct-pw.test', tenant: t.slug } });
    const noTenant = await sys.gql(REQUEST, { i: { email: u.email, tenant: 'no-such-tenant' } });
    const known = await sys.gql(REQUEST, { i: { email: u.email, tenant: t.slug } });
    for (const r of [unknown, noTenant, known]) expect([r.status, r.data, r.errors]).toEqual([200, { requestPasswordReset: true }, undefined]);
    await codeFor(u.email);
    await sleep(300);
    expect(smtp.mails.slice(before).map((m) => m.to)).toEqual([[u.email]]);
    const r = await sys.gql(RESET, { i: { email: 'nobody@acct-pw.test', tenant: t.slug, code: '123456', newPassword: 'reset-password-1' } });
    expect([code(r), r.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'code: is invalid or expired; request a new one']);
  });

  it('refuses an expired code', async () => {
    const u = await newUser();
    await sys.ok(REQUEST, { i: { email: u.email, tenant: t.slug } });
    const c = await codeFor(u.email);
    clockOffset = 16 * 60 * 1000;
    try {
      const r = await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: 'reset-password-1' } });
      expect(code(r)).toBe('BAD_USER_INPUT');
    } finally {
      clockOffset = 0;
    }
    await sys.login(u.email, TEST_PASSWORD, t.slug);
    // Within its 15 minutes the same code is good: the refusal was the expiry.
    await sys.ok(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: 'reset-password-1' } });
  });

  it('kills a code after five guesses, counts only the newest code, and limits requests per account', async () => {
    const u = await newUser();
    await sys.ok(REQUEST, { i: { email: u.email, tenant: t.slug } });
    const first = await codeFor(u.email, 1);
    await sys.ok(REQUEST, { i: { email: u.email, tenant: t.slug } });
    const second = await codeFor(u.email, 2);
    if (first !== second) {
      expect(code(await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: first, newPassword: 'reset-password-1' } }))).toBe('BAD_USER_INPUT');
    }
    for (let i = 0; i < (first !== second ? 4 : 5); i++) {
      const guess = String((Number(second) + 1 + i) % 1_000_000).padStart(6, '0');
      expect(code(await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: guess, newPassword: 'reset-password-1' } }))).toBe('BAD_USER_INPUT');
    }
    // Five guesses spent (the stale code's included): the right code is dead now.
    expect(code(await sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: second, newPassword: 'reset-password-1' } }))).toBe('BAD_USER_INPUT');
    await sys.login(u.email, TEST_PASSWORD, t.slug);

    // Third request within 15 minutes passes, the fourth is refused; an unknown email gets the same.
    await sys.ok(REQUEST, { i: { email: u.email, tenant: t.slug } });
    expect(code(await sys.gql(REQUEST, { i: { email: u.email, tenant: t.slug } }))).toBe('RATE_LIMITED');
    for (let i = 0; i < 3; i++) await sys.ok(REQUEST, { i: { email: 'ghost@acct-pw.test', tenant: t.slug } });
    expect(code(await sys.gql(REQUEST, { i: { email: 'ghost@acct-pw.test', tenant: t.slug } }))).toBe('RATE_LIMITED');
  });

  it('spends a code once under concurrent use', async () => {
    const u = await newUser();
    await sys.ok(REQUEST, { i: { email: u.email, tenant: t.slug } });
    const c = await codeFor(u.email);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => sys.gql(RESET, { i: { email: u.email, tenant: t.slug, code: c, newPassword: `concurrent-pass-${i}` } })),
    );
    const winners = results.flatMap((r, i) => (r.data?.resetPassword === true ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.data?.resetPassword !== true) expect(code(r)).toBe('BAD_USER_INPUT');
    await sys.login(u.email, `concurrent-pass-${winners[0]}`, t.slug);
  });
});

describe('reset request limits (account-limits.service.ts)', () => {
  it('limits requests per client IP across accounts, and per account across IPs', async () => {
    const accounts = createAccounts(loadConfig('tenant', { NODE_ENV: 'test' }), { resetRequestsPerIp: 2, resetRequestsPerAccount: 2 });
    try {
      await accounts.allowResetRequest('t\na@x.test', '10.0.0.1');
      await accounts.allowResetRequest('t\nb@x.test', '10.0.0.1');
      await expect(accounts.allowResetRequest('t\nc@x.test', '10.0.0.1')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
      await accounts.allowResetRequest('t\nc@x.test', '10.0.0.2');
      await accounts.allowResetRequest('t\nc@x.test', '10.0.0.3');
      await expect(accounts.allowResetRequest('t\nc@x.test', '10.0.0.4')).rejects.toMatchObject({
        extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) },
      });
    } finally {
      await accounts.close();
    }
  });
});

describe('logins in the audit trail', () => {
  it('records logins and failed logins with the IP, never a password or an unknown address', async () => {
    const u = await newUser();
    await sys.login(u.email, TEST_PASSWORD, t.slug);
    expect(code(await sys.gql(LOGIN, { i: { email: u.email, password: 'wrong-password-x', tenant: t.slug } }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(LOGIN, { i: { email: 'stranger@elsewhere.test', password: 'wrong-password-y', tenant: t.slug } }))).toBe('UNAUTHENTICATED');
    const mine = await auditEntries(t.ownerToken, { userId: u.id }, 2);
    expect(mine.find((e: { action: string }) => e.action === 'login')).toMatchObject({
      role: 'staff',
      entityId: u.id,
      result: { method: 'password' },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(mine.find((e: { action: string }) => e.action === 'loginFailed')).toMatchObject({
      result: { reason: 'wrong_password' },
      ip: expect.stringMatching(/127\.0\.0\.1/),
    });
    const unknown = await auditEntries(t.ownerToken, { action: 'loginFailed', userId: 'unknown' }, 1);
    expect(unknown[0]).toMatchObject({ role: 'anonymous', entityId: null, result: { reason: 'unknown_account' } });
    const all = JSON.stringify(await sys.ok(LOG, {}, { token: t.ownerToken }));
    expect(all).not.toMatch(/stranger@elsewhere|wrong-password|correct-horse/);
  });

  it("records platform users' logins in the platform audit, not in a tenant's", async () => {
    const email = `admin-${Date.now()}@studyspot.test`;
    const created = await sys.ok(
      `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
      { i: { email, name: 'Admin', password: TEST_PASSWORD, role: 'admin' } },
      { token: sys.superToken },
    );
    await sys.login(email, TEST_PASSWORD);
    const [entry] = await auditEntries(sys.superToken, { action: 'login', userId: created.createPlatformUser.id }, 1);
    expect(entry).toMatchObject({ role: 'admin', result: { method: 'password' } });
    const inTenant = await sys.ok(LOG, { f: { userId: created.createPlatformUser.id } }, { token: t.ownerToken });
    expect(inTenant.auditLog).toEqual([]);
  });
});
