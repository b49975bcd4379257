import { randomBytes } from 'node:crypto';
import { trusted } from 'mongoose';
import { verifyChallenge, type ChallengeClaims } from '../../core/auth/challenge';
import { base32Encode, newTotpSecret, otpauthUri, verifyTotp } from '../../core/auth/totp';
import type { TenantContext } from './context';
import { AppError, badInput, conflict, notFound, unauthenticated } from '../../core/errors';
import { parseId } from '../../core/ids';
import { isPlatformRole } from '../../core/permissions/catalog';
import { guardLogin } from '../../core/security/login-guard';
import { keyedHash, matchesKeyedHash, open, seal } from '../../core/security/secret-box';
import { accountClaimModel } from './account-claim.model';
import { claimOnce } from './account-claim.service';
import { auditAccount } from './account-audit.service';
import { accountsOf } from './account-limits.service';
import { callerAccount, challengeAccount, type Account } from './account-scope.service';
import type { LoginWithTotpInput } from './account.input';
import { revokeUserSessions, startSession, type LoginResult } from './auth.service';
import { totpRequiredRoles } from './security-policy.service';
import { totpModel, type TotpDoc } from './totp.model';
import { userModel, type UserDoc } from './user.model';

export const RECOVERY_CODE_COUNT = 10;

/** `abcde-fghij`: 50 random bits in the base32 alphabet, easy to type from paper. */
function newRecoveryCode(): string {
  const s = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}
const normalizeRecovery = (code: string) => code.toLowerCase().replace(/[^a-z2-7]/g, '');

/** A fresh set of recovery codes, and what is stored of them. */
function newRecoveryCodes(ctx: TenantContext, userId: string): { recoveryCodes: string[]; hashes: string[] } {
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const ring = ctx.config.security.accountKeys;
  return { recoveryCodes, hashes: recoveryCodes.map((c) => keyedHash(ring, `recovery:${userId}`, normalizeRecovery(c))) };
}

/** A wrong code from a signed-in user: BAD_USER_INPUT (stays signed in), counted by the lockout. */
const wrongCode = () => new AppError('BAD_USER_INPUT', 'code: is not a valid code', { field: 'code', loginFailure: true });

/** The signed-in caller, or (during a login the tenant policy stopped) the holder of an `enroll` challenge. */
async function enrollingAccount(ctx: TenantContext, mfaToken?: string): Promise<{ account: Account; challenge: ChallengeClaims | null }> {
  if (!mfaToken) return { account: await callerAccount(ctx), challenge: null };
  const challenge = verifyChallenge(mfaToken, ctx.config.security.jwtKeys, 'enroll');
  return { account: await challengeAccount(ctx, challenge), challenge };
}

const issuerOf = ({ tenant }: Account) => (tenant ? tenant.branding?.displayName || tenant.name : 'StudySpot');

/** Starts (or restarts) enrollment: a new secret, inactive until confirmTotp proves the app has it. */
export async function enrollTotp(ctx: TenantContext, mfaToken?: string) {
  const { account, challenge } = await enrollingAccount(ctx, mfaToken);
  const id = account.user._id.toHexString();
  const Totp = totpModel(account.conn);
  if (await Totp.exists({ _id: id, active: true })) throw conflict('Two-factor authentication is already on; disable it first');
  const secret = newTotpSecret();
  await Totp.replaceOne(
    { _id: id },
    { _id: id, secret: seal(ctx.config.security.accountKeys, secret), active: false, recoveryCodes: [], createdAt: new Date(), activatedAt: null },
    { upsert: true },
  );
  if (challenge) await auditAccount(ctx, account.tenant, 'enrollTotp', account.user);
  const issuer = issuerOf(account);
  return { secret: base32Encode(secret), otpauthUri: otpauthUri(secret, issuer, account.user.email), issuer };
}

/** The time step of a right TOTP code, spent once (a code is good for one use, RFC 6238 §5.2). */
async function spendTotp(ctx: TenantContext, account: Account, doc: TotpDoc, code: string): Promise<boolean> {
  const step = verifyTotp(open(ctx.config.security.accountKeys, doc.secret), code, accountsOf(ctx).now());
  return step !== null && claimOnce(account.conn, `totp:${doc._id}:${step}`);
}

/**
 * Checks a second-factor code under the account-wide cap: many IPs together get
 * no more guesses at one account's codes than the cap allows in its window.
 */
async function capped<T>(ctx: TenantContext, account: Account, check: () => Promise<T | null | false>): Promise<T | null | false> {
  const accounts = accountsOf(ctx);
  const key = `${account.tenant?._id.toHexString() ?? 'platform'}:${account.user._id.toHexString()}`;
  await accounts.assertSecondFactorAllowed(key);
  const result = await check();
  if (!result) await accounts.secondFactorFailed(key);
  return result;
}

/**
 * Turns TOTP on with the first right code and returns the recovery codes (shown
 * once, stored as keyed hashes). Confirmed with an `enroll` challenge, it also
 * finishes that login: password and TOTP are both proven.
 */
export async function confirmTotp(ctx: TenantContext, code: string, mfaToken?: string) {
  const { account, challenge } = await enrollingAccount(ctx, mfaToken);
  const { user, tenant, conn } = account;
  const id = user._id.toHexString();
  return guardLogin(ctx, tenant?.slug, user.email, async () => {
    const Totp = totpModel(conn);
    const doc = await Totp.findById(id).lean<TotpDoc>();
    if (!doc) throw badInput('code', 'start with enrollTotp');
    if (doc.active) throw conflict('Two-factor authentication is already on');
    if (!(await capped(ctx, account, () => spendTotp(ctx, account, doc, code)))) throw wrongCode();
    const { recoveryCodes, hashes } = newRecoveryCodes(ctx, id);
    await Totp.updateOne({ _id: id }, { $set: { active: true, activatedAt: new Date(), recoveryCodes: hashes } });
    let session: LoginResult | null = null;
    if (challenge) {
      if (!(await claimOnce(conn, `challenge:${challenge.jti}`))) throw unauthenticated('This login challenge was already used; log in again');
      session = await startSession(ctx, account);
      await auditAccount(ctx, tenant, 'confirmTotp', user);
      await auditAccount(ctx, tenant, 'login', user, { method: 'totp_enrollment' });
    }
    return { recoveryCodes, session };
  });
}

/** 'totp' or 'recovery_code' when one of them is right (and now spent), else null. */
async function spendSecondFactor(ctx: TenantContext, account: Account, code?: string, recoveryCode?: string) {
  const doc = await totpModel(account.conn).findById(account.user._id.toHexString()).lean<TotpDoc>();
  if (!doc?.active) return null;
  if (code) return (await spendTotp(ctx, account, doc, code)) ? 'totp' : null;
  if (!recoveryCode) return null;
  const context = `recovery:${doc._id}`;
  const plain = normalizeRecovery(recoveryCode);
  const hit = doc.recoveryCodes.find((h) => matchesKeyedHash(ctx.config.security.accountKeys, h, context, plain));
  return hit && (await claimOnce(account.conn, `recovery:${doc._id}:${hit}`)) ? 'recovery_code' : null;
}

/** New recovery codes for the caller (the old ones stop working), with a current TOTP code. */
export async function regenerateRecoveryCodes(ctx: TenantContext, code: string): Promise<{ recoveryCodes: string[] }> {
  const account = await callerAccount(ctx);
  const { user, tenant, conn } = account;
  const id = user._id.toHexString();
  return guardLogin(ctx, tenant?.slug, user.email, async () => {
    const doc = await totpModel(conn).findById(id).lean<TotpDoc>();
    if (!doc?.active) throw badInput('code', 'two-factor authentication is off');
    if (!(await capped(ctx, account, () => spendTotp(ctx, account, doc, code)))) throw wrongCode();
    const { recoveryCodes, hashes } = newRecoveryCodes(ctx, id);
    await totpModel(conn).updateOne({ _id: id }, { $set: { recoveryCodes: hashes } });
    return { recoveryCodes };
  });
}

/** Recovery codes of the caller not used yet (null without TOTP). */
export async function recoveryCodesLeft(ctx: TenantContext): Promise<number | null> {
  const account = await callerAccount(ctx).catch(() => null);
  if (!account) return null;
  const id = account.user._id.toHexString();
  const doc = await totpModel(account.conn).findById(id).lean<TotpDoc>();
  if (!doc?.active) return null;
  const used = await accountClaimModel(account.conn).countDocuments({ _id: trusted({ $in: doc.recoveryCodes.map((h) => `recovery:${id}:${h}`) }) });
  return doc.recoveryCodes.length - used;
}

/** Turns TOTP off with a current code or a recovery code; refused while the tenant policy requires it for the role. */
export async function disableTotp(ctx: TenantContext, code?: string, recoveryCode?: string): Promise<boolean> {
  const account = await callerAccount(ctx);
  const { user, tenant, conn } = account;
  if (tenant && (await totpRequiredRoles(conn)).includes(user.role)) {
    throw new AppError('FORBIDDEN', 'Your tenant requires two-factor authentication for your role');
  }
  return guardLogin(ctx, tenant?.slug, user.email, async () => {
    if (!(await capped(ctx, account, () => spendSecondFactor(ctx, account, code, recoveryCode)))) throw wrongCode();
    await totpModel(conn).deleteOne({ _id: user._id.toHexString() });
    return true;
  });
}

/**
 * Second step of a login with TOTP: the challenge from `login` plus a code (or a
 * recovery code). Under the same lockout as the password: a wrong code counts as
 * a failed login. The challenge finishes once.
 */
export async function loginWithTotp(ctx: TenantContext, input: LoginWithTotpInput): Promise<LoginResult> {
  const claims = verifyChallenge(input.mfaToken, ctx.config.security.jwtKeys, 'totp');
  const account = await challengeAccount(ctx, claims);
  const { user, tenant, conn } = account;
  return guardLogin(ctx, tenant?.slug, user.email, async () => {
    const method = await capped(ctx, account, () => spendSecondFactor(ctx, account, input.code, input.recoveryCode));
    if (!method) {
      await auditAccount(ctx, tenant, 'loginFailed', user, { reason: input.code ? 'wrong_totp' : 'wrong_recovery_code' });
      throw new AppError('UNAUTHENTICATED', 'Invalid two-factor code', { errorCode: 1005 });
    }
    if (!(await claimOnce(conn, `challenge:${claims.jti}`))) throw unauthenticated('This login challenge was already used; log in again');
    const session = await startSession(ctx, account);
    await auditAccount(ctx, tenant, 'login', user, { method });
    return session;
  });
}

/**
 * An owner (or anyone with users:update) turns off a staff member's TOTP when the
 * phone and the recovery codes are lost. Not one's own (disableTotp), owners'
 * only by owners and platform staff; every session of the user ends, and where
 * the tenant policy requires TOTP the user sets it up again at the next login.
 */
export async function resetUserTotp(ctx: TenantContext, id: string): Promise<boolean> {
  const _id = parseId(id, 'id');
  const auth = ctx.auth!;
  const conn = await ctx.tenantDb();
  const target = await userModel(conn).findById(_id).lean<UserDoc>();
  if (!target) throw notFound('User');
  if (!isPlatformRole(auth.role) && auth.sub === id) throw badInput('id', 'use disableTotp for your own account');
  if (target.role === 'owner' && !isPlatformRole(auth.role) && auth.role !== 'owner') throw new AppError('FORBIDDEN', 'Only an owner may change owners');
  const { deletedCount } = await totpModel(conn).deleteOne({ _id: id });
  await revokeUserSessions(ctx, id, (await ctx.tenant())._id.toHexString());
  return deletedCount > 0;
}

export async function totpEnabled(ctx: TenantContext): Promise<boolean> {
  const account = await callerAccount(ctx).catch(() => null);
  return account ? Boolean(await totpModel(account.conn).exists({ _id: account.user._id.toHexString(), active: true })) : false;
}
