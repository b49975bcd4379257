import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { TenantSecurityPolicy } from './security-policy.type';

/** Who may reach security-policy's fields (docs/permissions.md); `*` is every field without its own entry. */
export const securityPolicyRules: RuleTable = {
  Query: { tenantSecurityPolicy: 'tenant:read' },
  Mutation: { updateTenantSecurityPolicy: 'security:manage' },
  TenantSecurityPolicy: typeRules<TenantSecurityPolicy>({ '*': 'tenant:read' }),
};
