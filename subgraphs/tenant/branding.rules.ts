import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach branding's fields (docs/permissions.md); `*` is every field without its own entry. */
export const brandingRules: RuleTable = {
  Query: { tenantBranding: 'public' },
  Mutation: { updateTenantBranding: 'tenant:update', setTenantModules: 'tenant:update' },
};
