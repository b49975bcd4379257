import { Types, type Connection, type Model } from 'mongoose';
import type { ChallengeClaims } from '../../core/auth/challenge';
import type { TenantContext } from './context';
import { AppError, unauthenticated } from '../../core/errors';
import { isPlatformRole, TENANT_ROLES } from '../../core/permissions/catalog';
import { findTenant, type TenantRecord } from '../../core/tenancy/registry';
import { usableTenantDb } from '../../core/tenancy/tenant-db';
import { platformUserModel, userModel, type UserDoc } from './user.model';

/**
 * Where an account lives: a tenant user in the tenant's database, a platform
 * user (tenant null) in the platform database. Its TOTP, reset codes and
 * single-use claims are kept in that same database.
 */
export interface AccountScope {
  tenant: TenantRecord | null;
  conn: Connection;
  users: Model<UserDoc>;
}

export interface Account extends AccountScope {
  user: UserDoc;
}

/** A tenant's accounts only while it is usable (suspended or provisioning: refused). */
const scopeOf = (ctx: TenantContext, tenant: TenantRecord | null): AccountScope => {
  const conn = tenant ? usableTenantDb(ctx.db, tenant) : ctx.db.platform();
  return { tenant, conn, users: tenant ? userModel(conn) : platformUserModel(conn) };
};

/**
 * The accounts an anonymous caller names: the tenant slug given (or x-tenant),
 * else the tenant of the host's custom domain, else platform users. Null when
 * the named tenant does not exist (the caller answers as for a wrong password).
 */
export async function anonymousScope(ctx: TenantContext, tenantSlug: string | undefined): Promise<AccountScope | null> {
  const platform = ctx.db.platform();
  const slug = tenantSlug ?? ctx.requestedTenant.slug;
  let tenant: TenantRecord | null = null;
  if (slug) {
    tenant = await findTenant(platform, { slug });
    if (!tenant) return null;
  } else if (ctx.requestedTenant.host) {
    tenant = await findTenant(platform, { domain: ctx.requestedTenant.host });
  }
  return scopeOf(ctx, tenant);
}

export const findByEmail = (scope: AccountScope, email: string) => scope.users.findOne({ email: email.toLowerCase().trim() }).lean<UserDoc>();

/** The signed-in user (tenant staff or platform user); partner keys and services have no account. */
export async function callerAccount(ctx: TenantContext): Promise<Account> {
  const auth = ctx.auth;
  if (!auth) throw ctx.authError ?? unauthenticated();
  const tenantUser = (TENANT_ROLES as readonly string[]).includes(auth.role);
  if ((!tenantUser && !isPlatformRole(auth.role)) || !Types.ObjectId.isValid(auth.sub)) {
    throw new AppError('FORBIDDEN', 'Only a user account has a password and a second factor');
  }
  const scope = scopeOf(ctx, tenantUser ? await ctx.tenant() : null);
  const user = await scope.users.findById(auth.sub).lean<UserDoc>();
  if (!user || user.status !== 'active') throw unauthenticated('This account is inactive');
  return { ...scope, user };
}

/** The account a login challenge was issued to, as it is now. */
export async function challengeAccount(ctx: TenantContext, claims: ChallengeClaims): Promise<Account> {
  let tenant: TenantRecord | null = null;
  if (claims.tid) {
    tenant = await findTenant(ctx.db.platform(), { id: claims.tid });
    if (!tenant) throw unauthenticated('Invalid or expired login challenge; log in again');
  }
  const scope = scopeOf(ctx, tenant);
  const user = Types.ObjectId.isValid(claims.sub) ? await scope.users.findById(claims.sub).lean<UserDoc>() : null;
  if (!user || user.status !== 'active') throw unauthenticated('This account is inactive');
  return { ...scope, user };
}
