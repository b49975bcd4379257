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
);
