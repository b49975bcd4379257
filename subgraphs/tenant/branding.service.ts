import type { TenantContext } from './context';
import { notFound } from '../../core/errors';
import { topics } from '../../core/events';
import { findTenant, tenantRegistry, TENANT_MODULES, type TenantRecord } from '../../core/tenancy/registry';
import { effectiveModules } from '../../core/tenancy/plans';
import type { BrandingInput, TenantModulesInput } from './tenant.input';
import { toTenant } from './tenant.service';

/** Base domain of platform-hosted tenants (`<slug>.<domain>`): given at start-up, else PLATFORM_DOMAIN (index.ts). */
export const platformDomain = (ctx: TenantContext): string => ctx.services.platformDomain;

const HOST = /^(?=.{1,253}$)[a-z0-9-]+(?:\.[a-z0-9-]+)*$/;
const BRANDING_FIELDS = ['displayName', 'logoUrl', 'faviconUrl', 'primaryColor', 'secondaryColor', 'fontFamily', 'pageTitle'] as const;

/**
 * Public: the branding of the tenant a host name belongs to (its own `domain`,
 * or `<slug>.<platform domain>`). Only branding, display name and modules leave
 * here; unknown hosts and tenants that are not active give null.
 */
export async function tenantBrandingForHost(ctx: TenantContext, rawHost: string) {
  const host = rawHost.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (!HOST.test(host)) return null;
  const platform = ctx.db.platform();
  const suffix = `.${platformDomain(ctx)}`;
  const sub = host.endsWith(suffix) ? host.slice(0, -suffix.length) : null;
  let tenant: TenantRecord | null = null;
  if (sub && /^[a-z0-9-]{1,30}$/.test(sub)) tenant = await findTenant(platform, { slug: sub });
  if (!tenant) tenant = await findTenant(platform, { domain: host });
  if (!tenant || tenant.status !== 'active') return null;
  const branding = tenant.branding ?? {};
  return {
    displayName: branding.displayName ?? tenant.name,
    branding: Object.fromEntries(BRANDING_FIELDS.map((f) => [f, branding[f] ?? null])),
    modules: effectiveModules(tenant.plan, tenant.modules),
  };
}

/** Sets the given fields under `prefix` of the caller's tenant record (owner, or platform admin via x-tenant). */
async function setOnTenant(ctx: TenantContext, prefix: 'branding' | 'modules', fields: Record<string, unknown>) {
  const tenant = await ctx.tenant();
  const set: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) set[`${prefix}.${k}`] = v;
  if (Object.keys(set).length === 0) return toTenant(tenant);
  const doc = await tenantRegistry(ctx.db.platform()).findOneAndUpdate({ _id: tenant._id }, { $set: set }, { returnDocument: 'after' }).lean<TenantRecord>();
  if (!doc) throw notFound('Tenant');
  await ctx.publish(topics.tenantChanged, { tenantId: doc._id.toHexString() });
  return toTenant(doc);
}

export function updateTenantBranding(ctx: TenantContext, input: BrandingInput) {
  return setOnTenant(ctx, 'branding', Object.fromEntries(BRANDING_FIELDS.map((f) => [f, input[f]])));
}

export function setTenantModules(ctx: TenantContext, input: TenantModulesInput) {
  return setOnTenant(ctx, 'modules', Object.fromEntries(TENANT_MODULES.map((m) => [m, input[m]])));
}
