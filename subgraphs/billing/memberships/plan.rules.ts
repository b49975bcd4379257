import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { FeePlan } from './plan.type';

/** Who may reach plan's fields (docs/permissions.md); `*` is every field without its own entry. */
export const planRules: RuleTable = {
  FeePlan: typeRules<FeePlan>({ '*': 'fees:summary' }),
  Query: { feePlans: 'fees:summary', feePlan: 'fees:summary' },
  Mutation: { createFeePlan: 'fees:plans', updateFeePlan: 'fees:plans', retireFeePlan: 'fees:plans' },
};
