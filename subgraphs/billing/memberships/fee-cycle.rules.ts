import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { FeeCycleReport } from './fee-cycle.type';

/** Who may reach fee-cycle's fields (docs/permissions.md); `*` is every field without its own entry. */
export const feeCycleRules: RuleTable = {
  Mutation: { runFeeCycle: 'fees:plans' },
  FeeCycleReport: typeRules<FeeCycleReport>({ '*': 'fees:plans' }),
};
