import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Tenant } from './tenant.type';

/** Who may reach tenant's fields (docs/permissions.md); `*` is every field without its own entry. */
export const tenantRules: RuleTable = {
  Tenant: typeRules<Tenant, 'wallet'>({ '*': 'authenticated', wallet: 'credits:read' }),
};
