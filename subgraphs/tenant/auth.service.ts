import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { Connection } from 'mongoose';
import { hashToken, newRefreshToken, signAccessToken, type AccessClaims } from '../../core/auth/tokens';
import type { RequestContext } from '../../core/context';
import { guardLogin } from '../../core/security/login-guard';
import { AppError, notFound, unauthenticated } from '../../core/errors';
import type { Role } from '../../core/permissions/catalog';
import { isDuplicateKey } from '../../core/tenancy/db';
import { findTenant, type TenantRecord } from '../../core/tenancy/registry';
import type { LoginInput } from './auth.input';
import { refreshTokenModel } from './refresh-token.model';
import { branchClaim, overridesClaim, platformUserModel, userModel, type UserDoc } from './user.model';

// Compared against when the user does not exist, so timing does not reveal which emails exist.
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);

export const hashPassword = (password: string) => bcrypt.hash(password, 10);

const invalidCredentials = () => new AppError('UNAUTHENTICATED', 'Invalid email or password', { errorCode: 1005 });

export function assertTenantUsable(t: TenantRecord): void {
  if (t.status === 'suspended') throw new AppError('TENANT_SUSPENDED', 'This tenant is suspended');
  if (t.status !== 'active') throw new AppError('SERVICE_UNAVAILABLE', 'This tenant is still being provisioned');
}

/** Login under the lockout guard (core/security/login-guard.ts). */
export const login = (ctx: RequestContext, input: LoginInput) =>
  guardLogin(ctx, input.tenant, input.email, () => attemptLogin(ctx, input));

async function attemptLogin(ctx: RequestContext, input: LoginInput) {
  const platform = ctx.db.platform();
  const slug = input.tenant ?? ctx.requestedTenant.slug;
  let tenant: TenantRecord | null = null;
  if (slug) {
    tenant = await findTenant(platform, { slug });
    // Same answer (and timing) as a wrong password: a login does not reveal which tenants exist.
    if (!tenant) {
      await bcrypt.compare(input.password, DUMMY_HASH);
      throw invalidCredentials();
    }
  } else if (ctx.requestedTenant.host) {
    tenant = await findTenant(platform, { domain: ctx.requestedTenant.host });
  }
  if (tenant) assertTenantUsable(tenant);
  const users = tenant ? userModel(ctx.db.tenant(tenant.dbName)) : platformUserModel(platform);
  const user = await users.findOne({ email: input.email.toLowerCase().trim() }).lean<UserDoc>();
  const ok = await bcrypt.compare(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) throw invalidCredentials();
  if (user.status !== 'active') throw new AppError('UNAUTHENTICATED', 'This account is inactive', { errorCode: 1006 });
  const claims: AccessClaims = { sub: user._id.toHexString(), role: user.role as Role };
  if (tenant) Object.assign(claims, { tid: tenant._id.toHexString(), tsl: tenant.slug, prm: overridesClaim(user), lib: branchClaim(user) });
  const family = randomUUID();
  return issueTokens(ctx, platform, claims, family, `root:${family}`);
}

async function issueTokens(ctx: RequestContext, platform: Connection, claims: AccessClaims, family: string, parent: string) {
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
  };
}

/**
 * Rotation: a token is good once. Spending it inserts its successor with
 * `parent = <its hash>` under a unique index, so of any number of concurrent
 * uses exactly one succeeds (an atomic insert, not a read-then-write). Using
 * it again means it leaked, so the whole family (every token of that login)
 * is revoked.
 */
export async function rotateRefreshToken(ctx: RequestContext, token: string) {
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
    assertTenantUsable(tenant);
    Object.assign(claims, { tid: known.tenantId, tsl: known.tenantSlug });
    users = userModel(ctx.db.tenant(tenant.dbName));
  }
  // The user as it is now: a disabled user gets no new token; role and overrides changes apply.
  const user = await users.findById(known.userId).lean<UserDoc>();
  if (!user || user.status !== 'active') throw unauthenticated('This account is inactive');
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

export async function revokeRefreshToken(ctx: RequestContext, token: string): Promise<boolean> {
  const Tokens = refreshTokenModel(ctx.db.platform());
  const known = await Tokens.findById(hashToken(token)).lean();
  if (!known) return false;
  await Tokens.updateMany({ family: known.family }, { $set: { revokedAt: new Date() } });
  return true;
}
