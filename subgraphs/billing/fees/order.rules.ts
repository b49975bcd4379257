import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { PaymentCheckout, PaymentOrder, PaymentRouting, RoutingAttempt } from './order.type';

/** Who may reach order's fields (docs/permissions.md); `*` is every field without its own entry. */
export const orderRules: RuleTable = {
  Query: { paymentOrder: 'payments:read' },
  Mutation: { createPaymentOrder: 'payments:create', verifyRazorpayPayment: 'payments:create' },
  PaymentOrder: typeRules<PaymentOrder>({ '*': 'payments:read' }),
  PaymentRouting: typeRules<PaymentRouting>({ '*': 'payments:read' }),
  RoutingAttempt: typeRules<RoutingAttempt>({ '*': 'payments:read' }),
  PaymentCheckout: typeRules<PaymentCheckout>({ '*': 'payments:read' }),
};
