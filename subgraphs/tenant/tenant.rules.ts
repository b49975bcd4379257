import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Branding, Tenant, TenantBrandingInfo, TenantLimits, TenantModules } from './tenant.type';

/** Who may reach tenant's fields (docs/permissions.md); `*` is every field without its own entry. */
export const tenantRules: RuleTable = {
  Query: { tenant: 'tenant:read', tenants: 'tenants:read' },
  Mutation: { createTenant: 'tenants:create', suspendTenant: 'tenants:suspend', reactivateTenant: 'tenants:suspend' },
  TenantBrandingInfo: typeRules<TenantBrandingInfo>({ '*': 'public' }),
  Branding: typeRules<Branding>({ '*': 'public' }),
  TenantModules: typeRules<TenantModules>({ '*': 'public' }),
  Tenant: typeRules<Tenant>({ '*': 'authenticated', limits: 'tenant:read' }),
  TenantLimits: typeRules<TenantLimits>({ '*': 'authenticated' }),
};
