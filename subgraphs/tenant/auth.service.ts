import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Connection } from 'mongoose';
import { signChallenge } from '../../core/auth/challenge';
import { hashToken, newRefreshToken, signAccessToken, type AccessClaims } from '../../core/auth/tokens';
import type { TenantContext } from './context';
import { guardLogin } from '../../core/security/login-guard';
import { AppError, notFound, unauthenticated } from '../../core/errors';
import type { Role } from '../../core/permissions/catalog';
import { findTenant } from '../../core/tenancy/registry';
import { auditAccount } from './account-audit.service';
import { usableTenantDb } from '../../core/tenancy/tenant-db';
import { anonymousScope, findByEmail, type Account } from './account-scope.service';
import type { LoginInput } from './auth.input';
import { refreshTokenModel } from './refresh-token.model';
import { totpRequiredRoles } from './security-policy.service';
import { totpModel } from './totp.model';
import { platformUserModel, userModel, type UserDoc } from './user.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

// Compared against when the user does not exist, so timing does not reveal which emails exist.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

const invalidCredentials = () => new AppError('UNAUTHENTICATED', 'Invalid email or password', { errorCode: 1005 });

/** What login answers: tokens, or (accessToken null) the challenge the login waits for. */
export interface LoginResult {
  accessToken: string | null;
  refreshToken: string | null;
  expiresIn: number | null;
  role: string;
  mfaRequired: boolean;
  totpEnrollmentRequired: boolean;
  mfaToken: string | null;
}

const waitsForChallenge = (r: LoginResult) => r.accessToken === null;

/** Login under the lockout guard (core/security/login-guard.ts); a challenge does not reset the failure count. */
export const login = (ctx: TenantContext, input: LoginInput) =>
  guardLogin(
    ctx,
    input.tenant,
    input.email,
    () => attemptLogin(ctx, input),
    (r) => !waitsForChallenge(r),
  );

async function attemptLogin(ctx: TenantContext, input: LoginInput): Promise<LoginResult> {
  const scope = await anonymousScope(ctx, input.tenant);
  // Same answer (and timing) as a wrong password: a login does not reveal which tenants exist.
  if (!scope) {
    await bcrypt.compare(input.password, DUMMY_HASH);
    await auditAccount(ctx, null, 'loginFailed', null, { reason: 'unknown_tenant' });
    throw invalidCredentials();
  }
  const user = await findByEmail(scope, input.email);
  const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) {
    await auditAccount(ctx, scope.tenant, 'loginFailed', user, { reason: user ? 'wrong_password' : 'unknown_account' });
    throw invalidCredentials();
  }
  if (user.status !== 'active') {
    await auditAccount(ctx, scope.tenant, 'loginFailed', user, { reason: 'inactive' });
    throw new AppError('UNAUTHENTICATED', 'This account is inactive', { errorCode: 1006 });
  }
  const account = { ...scope, user };
  const challenge = await secondFactorChallenge(ctx, account);
  if (challenge) return challenge;
  const session = await startSession(ctx, account);
  await auditAccount(ctx, scope.tenant, 'login', user, { method: 'password' });
  return session;
}

/**
 * After a right password: a user with TOTP gets a `totp` challenge (loginWithTotp);
 * a user the tenant policy requires TOTP of, who has none, an `enroll` challenge
 * that only enrollTotp/confirmTotp accept (no access token at all). Null: no second factor.
 */
async function secondFactorChallenge(ctx: TenantContext, account: Account): Promise<LoginResult | null> {
  const { tenant, user, conn } = account;
  const totp = await totpModel(conn).findById(user._id.toHexString()).lean();
  const sub = user._id.toHexString();
  const scope = tenant ? { tid: tenant._id.toHexString(), tsl: tenant.slug } : {};
  const base = { accessToken: null, refreshToken: null, expiresIn: null, role: user.role };
  if (totp?.active) {
    const mfaToken = signChallenge({ sub, ...scope, pur: 'totp' }, ctx.config.security.jwtKeys);
    return { ...base, mfaRequired: true, totpEnrollmentRequired: false, mfaToken };
  }
  if (tenant && (await totpRequiredRoles(conn)).includes(user.role)) {
    const mfaToken = signChallenge({ sub, ...scope, pur: 'enroll' }, ctx.config.security.jwtKeys);
    return { ...base, mfaRequired: false, totpEnrollmentRequired: true, mfaToken };
  }
  return null;
}

/** The tenant's policy requires TOTP of the user's role and the user has none. */
async function owesTotp(conn: Connection, user: UserDoc): Promise<boolean> {
  if (!(await totpRequiredRoles(conn)).includes(user.role)) return false;
  return !(await totpModel(conn).exists({ _id: user._id.toHexString(), active: true }));
}

/** A new login (refresh token family) for the account's user. */
export async function startSession(ctx: TenantContext, { tenant, user }: Pick<Account, 'tenant' | 'user'>): Promise<LoginResult> {
  const claims: AccessClaims = { sub: user._id.toHexString(), role: user.role as Role };
  if (tenant) Object.assign(claims, { tid: tenant._id.toHexString(), tsl: tenant.slug, prm: overridesClaim(user), lib: branchClaim(user) });
  const family = randomUUID();
  return issueTokens(ctx, ctx.db.platform(), claims, family, `root:${family}`);
}

/** Revokes every refresh token of a user (password change or reset): every other device must log in again. */
export async function revokeUserSessions(ctx: TenantContext, userId: string, tenantId: string | null): Promise<void> {
  await refreshTokenModel(ctx.db.platform()).updateMany({ userId, tenantId: tenantId ?? null, revokedAt: null }, { $set: { revokedAt: new Date() } });
}

async function issueTokens(ctx: TenantContext, platform: Connection, claims: AccessClaims, family: string, parent: string): Promise<LoginResult> {
  const { token, hash } = newRefreshToken();
  await refreshTokenModel(platform).create({
    _id: hash,
    family,
    parent,
    userId: claims.sub,
    role: claims.role,
    tenantId: claims.tid,
    tenantSlug: claims.tsl,
    expiresAt: new Date(Date.now() + ctx.config.refreshTokenTtl * 1000),
  });
  return {
    accessToken: signAccessToken(claims, ctx.config.security.jwtKeys, ctx.config.accessTokenTtl),
    refreshToken: token,
    expiresIn: ctx.config.accessTokenTtl,
    role: claims.role,
    mfaRequired: false,
    totpEnrollmentRequired: false,
    mfaToken: null,
  };
}

/**
 * Rotation: a token is good once. Spending it inserts its successor with
 * `parent = <its hash>` under a unique index, so of any number of concurrent
 * uses exactly one succeeds (an atomic insert, not a read-then-write). Using
 * it again means it leaked, so the whole family (every token of that login)
 * is revoked.
 */
export async function rotateRefreshToken(ctx: TenantContext, token: string) {
  const platform = ctx.db.platform();
  const Tokens = refreshTokenModel(platform);
  const hash = hashToken(token);
  const known = await Tokens.findById(hash).lean();
  if (!known || known.revokedAt || known.expiresAt <= new Date()) throw unauthenticated('Invalid or expired refresh token');
  const claims: AccessClaims = { sub: known.userId, role: known.role as Role };
  let users = platformUserModel(platform);
  if (known.tenantId) {
    const tenant = await findTenant(platform, { id: known.tenantId });
    if (!tenant) throw notFound('Tenant');
    users = userModel(usableTenantDb(ctx.db, tenant));
    Object.assign(claims, { tid: known.tenantId, tsl: known.tenantSlug });
  }
  // The user as it is now: a disabled user gets no new token; role and overrides changes apply.
  const user = await users.findById(known.userId).lean<UserDoc>();
  if (!user || user.status !== 'active') throw unauthenticated('This account is inactive');
  // The tenant's policy came after this login: set up TOTP through a new login.
  if (known.tenantId && (await owesTotp(users.db, user))) throw unauthenticated('Your tenant requires two-factor authentication; log in again to set it up');
  claims.role = user.role as Role;
  if (known.tenantId) Object.assign(claims, { prm: overridesClaim(user), lib: branchClaim(user) });
  try {
    const pair = await issueTokens(ctx, platform, claims, known.family, hash);
    await Tokens.updateOne({ _id: hash }, { $set: { usedAt: new Date() } });
    return pair;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await Tokens.updateMany({ family: known.family }, { $set: { revokedAt: new Date() } });
    ctx.log.warn({ family: known.family }, 'refresh token reuse: family revoked');
    throw unauthenticated('Refresh token was already used; all sessions from that login are revoked');
  }
}

export async function revokeRefreshToken(ctx: TenantContext, token: string): Promise<boolean> {
  const Tokens = refreshTokenModel(ctx.db.platform());
  const known = await Tokens.findById(hashToken(token)).lean();
  if (!known) return false;
  await Tokens.updateMany({ family: known.family }, { $set: { revokedAt: new Date() } });
  return true;
}

/** Roles a branch assignment applies to; an owner always sees every library. */
export const SCOPED_ROLES = ['manager', 'staff'];

/** The `lib` claim: the assigned libraries of a manager or staff member, absent otherwise (= all). */
export function branchClaim(d: Pick<UserDoc, 'role' | 'libraryIds'>): string[] | undefined {
  return SCOPED_ROLES.includes(d.role) && d.libraryIds?.length ? [...d.libraryIds] : undefined;
}

/** The `prm` claim for a user: only present when it has overrides. */
export function overridesClaim(d: Pick<UserDoc, 'grant' | 'revoke'>) {
  const g = d.grant ?? [],
    r = d.revoke ?? [];
  return g.length || r.length ? { g, r } : undefined;
}
