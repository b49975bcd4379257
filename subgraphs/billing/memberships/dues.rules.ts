import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Charge, Dues, DuesSummary, PendingDue } from './dues.type';

/** Who may reach dues's fields (docs/permissions.md); `*` is every field without its own entry. */
export const duesRules: RuleTable = {
  Dues: typeRules<Dues>({ '*': 'fees:read' }),
  Charge: typeRules<Charge>({ '*': 'fees:read' }),
  DuesSummary: typeRules<DuesSummary>({ '*': 'fees:summary' }),
  PendingDue: typeRules<PendingDue>({ '*': 'fees:read' }),
  Query: { pendingDues: 'fees:read' },
  // Returning a held deposit is giving money back: owners, like refunds.
  Mutation: { releaseDeposit: 'payments:refund' },
};
