import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach branding's fields (docs/permissions.md); `*` is every field without its own entry. */
export const brandingRules: RuleTable = {
  // Anonymous login pages look up their tenant's look by host name (branding, display name, modules only).
  Query: { tenantBranding: 'public' },
  Mutation: { updateTenantBranding: 'tenant:update', setTenantModules: 'tenant:update' },
};
