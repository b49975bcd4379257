import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { SaasRevenueRow } from './saas-revenue.type';

/** Who may reach saas-revenue's fields (docs/permissions.md); `*` is every field without its own entry. */
export const saasRevenueRules: RuleTable = {
  Query: { saasRevenue: 'platform:revenue' },
  SaasRevenueRow: typeRules<SaasRevenueRow>({ '*': 'platform:revenue' }),
};
