import type { Connection } from 'mongoose';
import { AppError } from '../errors';
import type { DbManager } from './db';
import { findTenant, type TenantRecord } from './registry';
import { TenantCache } from './tenant-cache';

/** Refuses a suspended tenant, or one still being provisioned: the rule of ctx.tenant() (core/context.ts). */
export function assertTenantUsable(t: Pick<TenantRecord, 'status'>): void {
  if (t.status === 'suspended') throw new AppError('TENANT_SUSPENDED', 'This tenant is suspended');
  if (t.status !== 'active') throw new AppError('SERVICE_UNAVAILABLE', 'This tenant is still being provisioned');
}

/**
 * The database of a tenant that a request reaches through something other than the
 * caller's token (a refresh token, an API key, an anonymous login): refused, like
 * ctx.tenantDb(), unless the tenant is usable.
 */
export function usableTenantDb(db: DbManager, tenant: TenantRecord): Connection {
  assertTenantUsable(tenant);
  return db.tenant(tenant.dbName);
}

export interface TenantScope {
  tenant: TenantRecord;
  conn: Connection;
}

/**
 * The tenant context of work no caller scopes — a domain event, a payment webhook, a
 * delivery report: the registry entry of `id` and its database, or null when `id` names
 * no tenant (nothing is opened then). Any status unless `active` is asked for: events
 * must still reach a suspended tenant (dunning mail, a payment captured before suspension).
 * With `cache` (the process's tenant cache, which holds active tenants only), an active
 * tenant costs no registry read: background jobs visit many tenants per tick.
 */
export async function tenantById(db: DbManager, id: unknown, opts: { active?: boolean; cache?: TenantCache } = {}): Promise<TenantScope | null> {
  if (typeof id !== 'string') return null;
  const cached = opts.cache?.get(TenantCache.key({ id }));
  if (cached) return { tenant: cached, conn: db.tenant(cached.dbName) };
  const tenant = await findTenant(db.platform(), { id });
  if (!tenant || (opts.active && tenant.status !== 'active')) return null;
  return { tenant, conn: db.tenant(tenant.dbName) };
}
