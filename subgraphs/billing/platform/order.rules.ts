import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { PlatformPaymentOrder } from './order.type';

/** Who may reach order's fields (docs/permissions.md); `*` is every field without its own entry. */
export const orderRules: RuleTable = {
  Query: { platformPaymentOrder: 'billing:manage' },
  Mutation: { createCreditPackageOrder: 'credits:manage', verifyPlatformRazorpayPayment: 'billing:manage' },
  PlatformPaymentOrder: typeRules<PlatformPaymentOrder>({ '*': 'billing:manage' }),
};
