import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Invoice, Payment } from './payment.type';

/** Who may reach payment's fields (docs/permissions.md); `*` is every field without its own entry. */
export const paymentRules: RuleTable = {
  Payment: typeRules<Payment>({ '*': 'payments:read' }),
  Invoice: typeRules<Invoice>({ '*': 'payments:read' }),
  Query: { payment: 'payments:read', payments: 'payments:read' },
  Mutation: { recordPayment: 'payments:create' },
};
