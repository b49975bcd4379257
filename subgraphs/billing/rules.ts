import type { ModuleTable } from '../../core/permissions/modules';
import { mergeRules } from '../../core/permissions/rules';
import { libraryRules } from './fees/library.rules';
import { studentRules } from './fees/student.rules';
import { paymentRules } from './fees/payment.rules';
import { membershipRules } from './memberships/membership.rules';
import { planRules } from './memberships/plan.rules';
import { duesRules } from './memberships/dues.rules';
import { shiftRules } from './memberships/shift.rules';
import { orderRules as feesOrderRules } from './fees/order.rules';
import { revenueRules } from './fees/revenue.rules';
import { revenueReportRules } from './fees/revenue-report.rules';
import { settingsRules } from './invoicing/settings.rules';
import { subscriptionRules } from './saas/subscription.rules';
import { saasRevenueRules } from './saas/saas-revenue.rules';
import { accountRules } from './saas/account.rules';
import { orderRules as platformOrderRules } from './platform/order.rules';
import { invoiceRules } from './saas/invoice.rules';
import { refundRules } from './fees/refund.rules';
import { feeCycleRules } from './memberships/fee-cycle.rules';
import { documentRules } from './documents/document.rules';
import { moneyReportRules } from './analytics/money-report.rules';

/** Every rule of the billing subgraph, one file per entity beside its type (docs/architecture.md). */
export const billingSubgraphRules = mergeRules(
  libraryRules,
  studentRules,
  paymentRules,
  membershipRules,
  planRules,
  duesRules,
  shiftRules,
  feesOrderRules,
  revenueRules,
  revenueReportRules,
  settingsRules,
  subscriptionRules,
  saasRevenueRules,
  accountRules,
  platformOrderRules,
  invoiceRules,
  refundRules,
  feeCycleRules,
  documentRules,
  moneyReportRules,
);

/**
 * The tenant module(s) each field needs (core/permissions/modules.ts): the shield refuses
 * it with MODULE_DISABLED when the tenant has one switched off or its plan lacks it.
 * Only tenant data operations; `*` covers a whole type (entities reached through `_entities`).
 */
export const billingSubgraphModules: ModuleTable = {
  Query: {
    payment: 'payments',
    payments: 'payments',
    paymentOrder: 'payments',
    revenueSummary: 'payments',
    pendingDues: 'payments',
    billingSettings: 'payments',
    revenueReport: ['payments', 'analytics'],
    collectionsReport: ['payments', 'analytics'],
    revenueBreakdown: ['payments', 'analytics'],
    feePlans: 'payments',
    feePlan: 'payments',
    membership: 'payments',
    memberships: 'payments',
    paymentDocument: 'payments',
    paymentRegisterDocument: 'payments',
    duesRegisterDocument: 'payments',
  },
  // Never verifyRazorpayPayment: money already moved is always settled (webhooks settle it too).
  Mutation: {
    recordPayment: 'payments',
    createPaymentOrder: 'payments',
    refundPayment: 'payments',
    updateBillingSettings: 'payments',
    createFeePlan: 'payments',
    updateFeePlan: 'payments',
    retireFeePlan: 'payments',
    runFeeCycle: 'payments',
    assignFeePlan: 'payments',
    renewMembership: 'payments',
    changeMembershipPlan: 'payments',
    freezeMembership: 'payments',
    cancelMembership: 'payments',
    releaseDeposit: 'payments',
  },
  Shift: { feePlans: 'payments' },
  Student: { payments: 'payments', memberships: 'payments', activeMembership: 'payments', dues: 'payments', duesSummary: 'payments' },
  Payment: { '*': 'payments' },
  PaymentOrder: { '*': 'payments' },
  Refund: { '*': 'payments' },
  Invoice: { '*': 'payments' },
  FeePlan: { '*': 'payments' },
  // The id is what Booking.membership lists (student subgraph): a booking stays readable.
  Membership: { '*': 'payments', id: [] },
};
