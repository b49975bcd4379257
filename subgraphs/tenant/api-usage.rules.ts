import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { ApiKeyUsageDay, TenantApiUsageDay } from './api-usage.type';

/** Who may reach api-usage's fields (docs/permissions.md); `*` is every field without its own entry. */
export const apiUsageRules: RuleTable = {
  Query: { apiKeyUsageDaily: 'apikeys:usage', tenantApiUsageDaily: 'platform:usage' },
  // recordApiUsage is internal (@inaccessible) and needs the gateway's service token, on a signed request.
  Mutation: { recordApiUsage: 'apikeys:record' },
  ApiKeyUsageDay: typeRules<ApiKeyUsageDay>({ '*': 'apikeys:usage' }),
  TenantApiUsageDay: typeRules<TenantApiUsageDay>({ '*': 'platform:usage' }),
};
