import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { ChurnRiskEntry } from './churn.type';

/** Who may reach churn's fields (docs/permissions.md); `*` is every field without its own entry. */
export const churnRules: RuleTable = {
  // Churn list: owner/manager (students:read).
  Query: { churnRisk: 'students:read' },
  ChurnRiskEntry: typeRules<ChurnRiskEntry>({ '*': 'students:read' }),
};
