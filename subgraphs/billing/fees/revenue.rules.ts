import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { RevenueRow } from './revenue.type';

/** Who may reach revenue's fields (docs/permissions.md); `*` is every field without its own entry. */
export const revenueRules: RuleTable = {
  Query: { revenueSummary: 'revenue:read' },
  RevenueRow: typeRules<RevenueRow>({ '*': 'revenue:read' }),
};
