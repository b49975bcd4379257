import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Refund } from './refund.type';

/** Who may reach refund's fields (docs/permissions.md); `*` is every field without its own entry. */
export const refundRules: RuleTable = {
  Mutation: { refundPayment: 'payments:refund' },
  Refund: typeRules<Refund>({ '*': 'payments:read' }),
};
