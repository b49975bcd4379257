import { base32Decode, base32Encode, hotp, newTotpSecret, timeStep, totp, TOTP_STEP_SECONDS, verifyTotp, type HashAlgorithm } from '../core/auth/totp';
import { keyedHash, matchesKeyedHash, open, seal } from '../core/security/secret-box';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/** TOTP second factor, recovery codes and the tenant policy (#13 item 7). */

describe('RFC 6238 (core/auth/totp.ts)', () => {
  // RFC 6238 Appendix B: 8-digit values, seeds of 20, 32 and 64 bytes.
  const seeds: Record<HashAlgorithm, Buffer> = {
    sha1: Buffer.from('12345678901234567890'),
    sha256: Buffer.from('12345678901234567890123456789012'),
    sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  const vectors: [number, HashAlgorithm, string][] = [
    [59, 'sha1', '94287082'],
    [59, 'sha256', '46119246'],
    [59, 'sha512', '90693936'],
    [1111111109, 'sha1', '07081804'],
    [1111111109, 'sha256', '68084774'],
    [1111111109, 'sha512', '25091201'],
    [1111111111, 'sha1', '14050471'],
    [1111111111, 'sha256', '67062674'],
    [1111111111, 'sha512', '99943326'],
    [1234567890, 'sha1', '89005924'],
    [1234567890, 'sha256', '91819424'],
    [1234567890, 'sha512', '93441116'],
    [2000000000, 'sha1', '69279037'],
    [2000000000, 'sha256', '90698825'],
    [2000000000, 'sha512', '38618901'],
    [20000000000, 'sha1', '65353130'],
    [20000000000, 'sha256', '77737706'],
    [20000000000, 'sha512', '47863826'],
  ];
  it.each(vectors)('T=%d %s -> %s', (t, alg, expected) => {
    expect(totp(seeds[alg], t * 1000, 8, alg)).toBe(expected);
  });
  it('HOTP of RFC 4226 Appendix D and base32', () => {
    expect([0, 1, 9].map((c) => hotp(seeds.sha1, c))).toEqual(['755224', '287082', '520489']);
    expect(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ').toString()).toBe('12345678901234567890');
    expect(base32Decode('gezdgnbv gy3tqojq gezdgnbv gy3tqojq').toString()).toBe('12345678901234567890');
    expect(base32Encode(seeds.sha1)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(() => base32Decode('GEZ1')).toThrow('invalid base32');
    const fresh = newTotpSecret();
    expect(fresh).toHaveLength(20);
    expect(base32Decode(base32Encode(fresh)).equals(fresh)).toBe(true);
  });
  it('verifies within one step of drift and says which step matched (the caller refuses a used step)', () => {
    const at = 1111111109_000; // step 37037036
    const step = timeStep(at);
    expect(step).toBe(37037036);
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step), at)).toBe(step);
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step - 1), at)).toBe(step - 1);
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step + 1), at)).toBe(step + 1);
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step - 2), at)).toBeNull();
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step + 2), at)).toBeNull();
    expect(verifyTotp(seeds.sha1, hotp(seeds.sha1, step - 2), at, 2)).toBe(step - 2);
    expect(verifyTotp(seeds.sha1, totp(seeds.sha1, at, 8), at)).toBeNull(); // 6 digits only
    expect(verifyTotp(seeds.sha1, 'abcdef', at)).toBeNull();
    expect(verifyTotp(seeds.sha256, hotp(seeds.sha1, step), at)).toBeNull(); // another secret
  });
});

describe('account secrets at rest (core/security/secret-box.ts)', () => {
  const ring = [
    { kid: 'k2', secret: 'b'.repeat(40) },
    { kid: 'k1', secret: 'a'.repeat(40) },
  ];
  it('seals with the newest key, opens with the named one, refuses tampering', () => {
    const old = seal([ring[1]], Buffer.from('secret'));
    expect(old.startsWith('v1.k1.')).toBe(true);
    expect(open(ring, old).toString()).toBe('secret');
    const sealed = seal(ring, Buffer.from('secret'));
    expect(sealed).toMatch(/^v1\.k2\./);
    expect(sealed).not.toContain(Buffer.from('secret').toString('base64url'));
    const parts = sealed.split('.');
    parts[4] = Buffer.from('SECRET').toString('base64url');
    expect(() => open(ring, parts.join('.'))).toThrow();
    expect(() => open([ring[0]], old)).toThrow(/k1/);
  });
  it('keyed hashes bind a code to its owner', () => {
    const h = keyedHash(ring, 'recovery:u1', 'abcde');
    expect(matchesKeyedHash(ring, h, 'recovery:u1', 'abcde')).toBe(true);
    expect(matchesKeyedHash(ring, h, 'recovery:u2', 'abcde')).toBe(false);
    expect(matchesKeyedHash(ring, h, 'recovery:u1', 'abcdf')).toBe(false);
  });
});

/**
 * The clock the tenant subgraph checks codes against: real time plus a skew that freshCode()
 * moves one TOTP step ahead when every step near "now" is spent, instead of waiting up to
 * 30 s of wall time for the next one (the server still refuses a spent step; see below).
 */
let skewMs = 0;
const clock = () => Date.now() + skewMs;

let sys: System;
let t: TestTenant;
beforeAll(async () => {
  // The account-wide cap on wrong codes sits above the per-IP login lockout (5).
  sys = await startSystem({}, { tenant: { accounts: { secondFactorFailures: 6, now: clock } } });
  t = await sys.createTenant('acct-totp', { limits: { maxLibraries: 1, maxStudents: 10, maxStaff: 50 } });
});
afterAll(() => sys?.stop());

const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken expiresIn role mfaRequired totpEnrollmentRequired mfaToken } }`;
const LOGIN_TOTP = `mutation($i: LoginWithTotpInput!) { loginWithTotp(input: $i) { accessToken refreshToken mfaRequired } }`;
const ENROLL = `mutation($m: String) { enrollTotp(mfaToken: $m) { secret otpauthUri issuer } }`;
const CONFIRM = `mutation($c: String!, $m: String) { confirmTotp(code: $c, mfaToken: $m) { recoveryCodes session { accessToken refreshToken } } }`;
const DISABLE = `mutation($c: String, $r: String) { disableTotp(code: $c, recoveryCode: $r) }`;
const POLICY = `mutation($i: TenantSecurityPolicyInput!) { updateTenantSecurityPolicy(input: $i) { totpRequiredRoles updatedAt } }`;
const ME = `{ me { role totpEnabled user { id } } }`;
const REFRESH = `mutation($t: String!) { refreshToken(token: $t) { accessToken } }`;
const LOG = `query($f: AuditFilter) { auditLog(filter: $f, first: 200) { action userId result input ip } }`;

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

let n = 0;
async function newUser(role: 'owner' | 'manager' | 'staff' = 'staff'): Promise<{ email: string; id: string }> {
  const email = `u${++n}-${Date.now()}@acct-totp.test`;
  const res = await sys.ok(
    `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
    { i: { email, name: `User ${n}`, password: TEST_PASSWORD, role } },
    { token: t.ownerToken },
  );
  return { email, id: res.createUser.id };
}
const passwordLogin = (email: string) => sys.gql(LOGIN, { i: { email, password: TEST_PASSWORD, tenant: t.slug } });

/** A code the server has not seen yet: each time step is good once, ±1 step accepted. */
const usedSteps = new Map<string, Set<number>>();
async function freshCode(secret: string): Promise<string> {
  const used = usedSteps.get(secret) ?? new Set<number>();
  usedSteps.set(secret, used);
  for (;;) {
    const now = clock();
    // Keep clear of step edges: the server may read its clock a moment later.
    for (const offset of [0, 1, -1]) {
      const step = timeStep(now) + offset;
      const msIntoStep = now - timeStep(now) * TOTP_STEP_SECONDS * 1000;
      if (offset === -1 && msIntoStep > 20_000) continue;
      if (offset === 1 && msIntoStep < 10_000) continue;
      if (!used.has(step)) {
        used.add(step);
        return totp(base32Decode(secret), step * TOTP_STEP_SECONDS * 1000);
      }
    }
    skewMs += TOTP_STEP_SECONDS * 1000; // every step near now is spent: move to the next one
  }
}
const wrongCodeFor = (right: string) => String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');

/** Enrolls and confirms TOTP for a signed-in user; returns the secret and recovery codes. */
async function turnOn(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { enrollTotp } = await sys.ok(ENROLL, {}, { token });
  const { confirmTotp } = await sys.ok(CONFIRM, { c: await freshCode(enrollTotp.secret) }, { token });
  return { secret: enrollTotp.secret, recoveryCodes: confirmTotp.recoveryCodes };
}

async function auditEntries(filter: Record<string, unknown>, atLeast: number) {
  for (let i = 0; i < 60; i++) {
    const res = await sys.ok(LOG, { f: filter }, { token: t.ownerToken });
    if (res.auditLog.length >= atLeast) return res.auditLog;
    await sleep(50);
  }
  throw new Error(`audit entries ${JSON.stringify(filter)} did not appear`);
}

describe('TOTP second factor', () => {
  it('enrolls with an encrypted secret, activates only with a right code and hands out recovery codes', async () => {
    const u = await newUser('manager');
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const { enrollTotp } = await sys.ok(ENROLL, {}, { token: accessToken });
    expect(enrollTotp.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrollTotp.otpauthUri).toBe(
      `otpauth://totp/Tenant%20acct-totp:${encodeURIComponent(u.email)}?secret=${enrollTotp.secret}&issuer=Tenant+acct-totp&algorithm=SHA1&digits=6&period=30`,
    );
    const stored = await findTotpDoc(u.id);
    expect(stored).toBeTruthy();
    expect(String(stored!.secret)).toMatch(/^v1\./);
    expect(String(stored!.secret)).not.toContain(enrollTotp.secret);

    const right = await freshCode(enrollTotp.secret);
    const wrong = await sys.gql(CONFIRM, { c: wrongCodeFor(right) }, { token: accessToken });
    expect([code(wrong), wrong.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', 'code: is not a valid code']);
    expect((await sys.ok(ME, {}, { token: accessToken })).me.totpEnabled).toBe(false);
    const { confirmTotp } = await sys.ok(CONFIRM, { c: right }, { token: accessToken });
    expect(confirmTotp.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmTotp.recoveryCodes).size).toBe(10);
    expect(confirmTotp.session).toBeNull();
    expect((await sys.ok(ME, {}, { token: accessToken })).me.totpEnabled).toBe(true);
    expect(code(await sys.gql(ENROLL, {}, { token: accessToken }))).toBe('CONFLICT');

    const [entry] = await auditEntries({ action: 'confirmTotp', userId: u.id }, 1);
    const text = JSON.stringify(entry);
    for (const rc of confirmTotp.recoveryCodes) expect(text).not.toContain(rc);
    expect(text).not.toContain(right);
  });

  it('makes login a challenge: the mfaToken opens nothing, a wrong code is refused, a right code finishes once', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const { secret } = await turnOn(accessToken);

    const first = await passwordLogin(u.email);
    expect(first.data.login).toMatchObject({
      accessToken: null,
      refreshToken: null,
      expiresIn: null,
      role: 'staff',
      mfaRequired: true,
      totpEnrollmentRequired: false,
    });
    const mfaToken = first.data.login.mfaToken as string;
    expect(code(await sys.gql(ME, {}, { token: mfaToken }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(ENROLL, { m: mfaToken }))).toBe('UNAUTHENTICATED'); // a TOTP challenge is not an enrollment one

    const right = await freshCode(secret);
    const bad = await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: wrongCodeFor(right) } });
    expect([code(bad), bad.errors?.[0]?.message]).toEqual(['UNAUTHENTICATED', 'Invalid two-factor code']);
    const ok = await sys.ok(LOGIN_TOTP, { i: { mfaToken, code: right } });
    expect(ok.loginWithTotp).toMatchObject({ accessToken: expect.any(String), refreshToken: expect.any(String), mfaRequired: false });
    expect((await sys.ok(ME, {}, { token: ok.loginWithTotp.accessToken })).me.user.id).toBe(u.id);
    // The challenge is spent, and so is the code (replay within its 30 s).
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: await freshCode(secret) } }))).toBe('UNAUTHENTICATED');
    const again = (await passwordLogin(u.email)).data.login.mfaToken;
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken: again, code: right } }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken: 'not-a-token', code: right } }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken: again } }))).toBe('BAD_USER_INPUT');

    const log = await auditEntries({ userId: u.id, action: 'login' }, 1);
    expect(log[0]).toMatchObject({ result: { method: 'totp' }, ip: expect.stringMatching(/127\.0\.0\.1/) });
    const failed = await auditEntries({ userId: u.id, action: 'loginFailed' }, 1);
    expect(failed.map((e: { result: { reason: string } }) => e.result.reason)).toContain('wrong_totp');
  });

  it('accepts each recovery code once; new codes replace the old set', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const { secret, recoveryCodes } = await turnOn(accessToken);
    const LEFT = `{ me { recoveryCodesLeft } }`;
    expect((await sys.ok(LEFT, {}, { token: accessToken })).me.recoveryCodesLeft).toBe(10);
    const c1 = (await passwordLogin(u.email)).data.login.mfaToken;
    const ok = await sys.ok(LOGIN_TOTP, { i: { mfaToken: c1, recoveryCode: recoveryCodes[3].toUpperCase() } });
    expect(ok.loginWithTotp.accessToken).toEqual(expect.any(String));
    const c2 = (await passwordLogin(u.email)).data.login.mfaToken;
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken: c2, recoveryCode: recoveryCodes[3] } }))).toBe('UNAUTHENTICATED');
    await sys.ok(LOGIN_TOTP, { i: { mfaToken: c2, recoveryCode: recoveryCodes[4] } });
    expect((await sys.ok(LEFT, {}, { token: accessToken })).me.recoveryCodesLeft).toBe(8);

    const REGEN = `mutation($c: String!) { regenerateRecoveryCodes(code: $c) { recoveryCodes } }`;
    const right = await freshCode(secret);
    expect(code(await sys.gql(REGEN, { c: wrongCodeFor(right) }, { token: accessToken }))).toBe('BAD_USER_INPUT');
    const fresh = (await sys.ok(REGEN, { c: right }, { token: accessToken })).regenerateRecoveryCodes.recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect((await sys.ok(LEFT, {}, { token: accessToken })).me.recoveryCodesLeft).toBe(10);
    const c3 = (await passwordLogin(u.email)).data.login.mfaToken;
    expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken: c3, recoveryCode: recoveryCodes[5] } }))).toBe('UNAUTHENTICATED');
    await sys.ok(LOGIN_TOTP, { i: { mfaToken: c3, recoveryCode: fresh[0] } });
    const [entry] = await auditEntries({ action: 'regenerateRecoveryCodes', userId: u.id }, 1);
    expect(JSON.stringify(entry)).not.toContain(fresh[1]);
  });

  it('counts wrong codes toward the login lockout (a right password does not reset it)', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    await turnOn(accessToken);
    for (let i = 0; i < 5; i++) {
      const mfaToken = (await passwordLogin(u.email)).data.login.mfaToken;
      expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: String(100000 + i) } }))).toBe('UNAUTHENTICATED');
    }
    expect(code(await passwordLogin(u.email))).toBe('RATE_LIMITED');
  });

  it('caps wrong codes per account whatever the IP, and a finished login does not reset the cap', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const { secret } = await turnOn(accessToken);
    const wrongOnce = async () => {
      const mfaToken = (await passwordLogin(u.email)).data.login.mfaToken;
      const wrong = wrongCodeFor(totp(base32Decode(secret), clock()));
      expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: wrong } }))).toBe('UNAUTHENTICATED');
    };
    for (let i = 0; i < 4; i++) await wrongOnce();
    const ok = (await passwordLogin(u.email)).data.login.mfaToken;
    await sys.ok(LOGIN_TOTP, { i: { mfaToken: ok, code: await freshCode(secret) } }); // resets the per-IP lockout only
    for (let i = 0; i < 2; i++) await wrongOnce();
    const mfaToken = (await passwordLogin(u.email)).data.login.mfaToken; // the password still opens a challenge
    const capped = await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: await freshCode(secret) } });
    expect([code(capped), capped.errors?.[0]?.message]).toEqual(['RATE_LIMITED', expect.stringMatching(/^Too many wrong codes for this account/)]);
    expect(capped.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
  });

  it('can be turned off for a staff member by the owner (lost phone), not by the staff themselves', async () => {
    const u = await newUser();
    const s1 = await sys.login(u.email, TEST_PASSWORD, t.slug);
    await turnOn(s1.accessToken);
    const RESET = `mutation($id: ID!) { resetUserTotp(id: $id) }`;
    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(RESET, { id: u.id }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(RESET, { id: u.id }, { token: s1.accessToken }))).toBe('FORBIDDEN');
    const ownerId = (await sys.ok(ME, {}, { token: t.ownerToken })).me.user.id;
    expect(code(await sys.gql(RESET, { id: ownerId }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(await sys.ok(RESET, { id: u.id }, { token: t.ownerToken })).toEqual({ resetUserTotp: true });
    expect(code(await sys.gql(REFRESH, { t: s1.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await passwordLogin(u.email)).data.login).toMatchObject({ mfaRequired: false, accessToken: expect.any(String) });
    expect(await sys.ok(RESET, { id: u.id }, { token: t.ownerToken })).toEqual({ resetUserTotp: false });
    const entries = await auditEntries({ action: 'resetUserTotp' }, 2);
    expect(entries.map((e: { result: boolean }) => e.result)).toEqual([false, true]); // newest first
  });

  it('turns off only with a right code', async () => {
    const u = await newUser();
    const { accessToken } = await sys.login(u.email, TEST_PASSWORD, t.slug);
    const { secret } = await turnOn(accessToken);
    const right = await freshCode(secret);
    expect(code(await sys.gql(DISABLE, { c: wrongCodeFor(right) }, { token: accessToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(DISABLE, {}, { token: accessToken }))).toBe('BAD_USER_INPUT');
    expect((await passwordLogin(u.email)).data.login.mfaRequired).toBe(true);
    expect(await sys.ok(DISABLE, { c: right }, { token: accessToken })).toEqual({ disableTotp: true });
    const plain = await passwordLogin(u.email);
    expect(plain.data.login).toMatchObject({ accessToken: expect.any(String), mfaRequired: false, totpEnrollmentRequired: false, mfaToken: null });
  });

  it('works for platform users too', async () => {
    const email = `p-${Date.now()}@studyspot.test`;
    await sys.ok(
      `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
      { i: { email, name: 'P', password: TEST_PASSWORD, role: 'admin' } },
      { token: sys.superToken },
    );
    const { accessToken } = await sys.login(email, TEST_PASSWORD);
    const { secret } = await turnOn(accessToken);
    const challenge = await sys.ok(LOGIN, { i: { email, password: TEST_PASSWORD } });
    expect(challenge.login.mfaRequired).toBe(true);
    const done = await sys.ok(LOGIN_TOTP, { i: { mfaToken: challenge.login.mfaToken, code: await freshCode(secret) } });
    expect((await sys.ok(ME, {}, { token: done.loginWithTotp.accessToken })).me).toMatchObject({ role: 'admin', totpEnabled: true });
  });
});

describe('tenant policy: TOTP required for owners and managers', () => {
  it("is the owner's to set", async () => {
    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(POLICY, { i: { totpRequiredRoles: ['manager'] } }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(POLICY, { i: { totpRequiredRoles: ['boss'] } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    const read = await sys.ok(`{ tenantSecurityPolicy { totpRequiredRoles } }`, {}, { token: manager });
    expect(read.tenantSecurityPolicy.totpRequiredRoles).toEqual([]);
  });

  it('lets such a user without TOTP log in only to enroll, and enforces it on refresh and disable', async () => {
    const m = await newUser('manager');
    const staff = await newUser('staff');
    const before = await sys.login(m.email, TEST_PASSWORD, t.slug); // a session from before the policy
    const set = await sys.ok(POLICY, { i: { totpRequiredRoles: ['owner', 'manager'] } }, { token: t.ownerToken });
    expect(set.updateTenantSecurityPolicy.totpRequiredRoles).toEqual(['owner', 'manager']);
    try {
      expect(code(await sys.gql(REFRESH, { t: before.refreshToken }))).toBe('UNAUTHENTICATED');

      const login = (await passwordLogin(m.email)).data.login;
      expect(login).toMatchObject({ accessToken: null, refreshToken: null, mfaRequired: false, totpEnrollmentRequired: true });
      const mfaToken = login.mfaToken as string;
      expect(code(await sys.gql(ME, {}, { token: mfaToken }))).toBe('UNAUTHENTICATED');
      expect(code(await sys.gql(`{ users { id } }`, {}, { token: mfaToken }))).toBe('UNAUTHENTICATED');
      expect(code(await sys.gql(`{ students { totalCount } }`, {}, { token: mfaToken }))).toBe('UNAUTHENTICATED');
      expect(
        code(
          await sys.gql(
            `mutation { changePassword(input: { currentPassword: "${TEST_PASSWORD}", newPassword: "enroll-only-pass" }) { accessToken } }`,
            {},
            { token: mfaToken },
          ),
        ),
      ).toBe('UNAUTHENTICATED');
      expect(code(await sys.gql(LOGIN_TOTP, { i: { mfaToken, code: '123456' } }))).toBe('UNAUTHENTICATED');

      const { enrollTotp } = await sys.ok(ENROLL, { m: mfaToken });
      const right = await freshCode(enrollTotp.secret);
      expect(code(await sys.gql(CONFIRM, { c: wrongCodeFor(right), m: mfaToken }))).toBe('BAD_USER_INPUT');
      const { confirmTotp } = await sys.ok(CONFIRM, { c: right, m: mfaToken });
      expect(confirmTotp.recoveryCodes).toHaveLength(10);
      const me = await sys.ok(ME, {}, { token: confirmTotp.session.accessToken });
      expect(me.me).toMatchObject({ role: 'manager', totpEnabled: true, user: { id: m.id } });
      await sys.ok(REFRESH, { t: confirmTotp.session.refreshToken });
      // The enrollment challenge finished that login: it cannot start another.
      expect(code(await sys.gql(ENROLL, { m: mfaToken }))).toBe('CONFLICT');

      // From now on the manager logs in with TOTP, and may not turn it off.
      expect((await passwordLogin(m.email)).data.login.mfaRequired).toBe(true);
      expect(code(await sys.gql(DISABLE, { c: await freshCode(enrollTotp.secret) }, { token: confirmTotp.session.accessToken }))).toBe('FORBIDDEN');
      // Staff are not covered: tokens straight away.
      expect((await passwordLogin(staff.email)).data.login.accessToken).toEqual(expect.any(String));
      const log = await auditEntries({ userId: m.id, action: 'login' }, 1);
      expect(log[0].result).toEqual({ method: 'totp_enrollment' });
    } finally {
      await sys.ok(POLICY, { i: { totpRequiredRoles: [] } }, { token: t.ownerToken });
    }
  });
});

/** The stored TOTP document of a tenant user, straight from the database. */
async function findTotpDoc(userId: string) {
  const { databases } = await sys.db.platform().db!.admin().listDatabases({ nameOnly: true });
  for (const { name } of databases) {
    if (!name.startsWith(sys.config.dbPrefix)) continue;
    const doc = await sys.db
      .tenant(name)
      .collection('user_totp')
      .findOne({ _id: userId as never });
    if (doc) return doc;
  }
  return null;
}
