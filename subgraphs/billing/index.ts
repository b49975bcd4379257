import { noProvisionState } from '../../core/tenancy/provision';
import { loadServiceEnv, type ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import type { BillingRuntime, BillingServices } from './context';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { claimSchema } from './fees/claim.model';
import { counterSchema } from './invoicing/counter.model';
import { billingEnv, billingSettings, type BillingSettings } from './billing.env';
import { gatewayOptionsFromEnv, paymentServices, type GatewayOptions } from './providers/gateway.env';
import { resolveLibraryReference } from './fees/library.resolver';
import { Library } from './fees/library.type';
import { orderIndexSchema } from './fees/order-index.model';
import { paymentOrderSchema } from './fees/order.model';
import { PaymentOrderResolver } from './fees/order.resolver';
import { paymentSchema } from './fees/payment.model';
import { PaymentResolver, resolvePaymentReference } from './fees/payment.resolver';
import { refundSchema } from './fees/refund.model';
import { RefundResolver } from './fees/refund.resolver';
import { RevenueResolver } from './fees/revenue.resolver';
import { resolveStudentReference, StudentPaymentsResolver } from './fees/student.resolver';
import { Student } from './fees/student.type';
import { webhookEventSchema } from './providers/webhook-event.model';
import { RevenueReportResolver } from './fees/revenue-report.resolver';
import { MoneyReportResolver } from './analytics/money-report.resolver';
import { moneyCheckpointSchema, moneyRollupSchema } from './analytics/money-rollup.model';
import { moneyFactSchema } from './analytics/money-fact.model';
import { billingRoutes } from './routes';
import { billingSettingsSchema } from './invoicing/settings.model';
import { BillingSettingsResolver } from './invoicing/settings.resolver';
import { subscriptionChangeSchema, subscriptionSchema } from './saas/subscription.model';
import { SubscriptionResolver } from './saas/subscription.resolver';
import { SaasRevenueResolver } from './saas/saas-revenue.resolver';
import { SaasAccountResolver, SaasInvoiceResolver, SubscriptionChangeInvoiceResolver } from './saas/account.resolver';
import { runBillingCycle } from './saas/cycle.service';
import { saasDunningSchema, saasInvoiceSchema } from './saas/invoice.model';
import { now } from './saas/subscription.service';
import { platformCaptureSchema, platformOrderSchema } from './platform/order.model';
import { PlatformOrderResolver } from './platform/order.resolver';
import { counterSchema as platformCounterSchema } from './invoicing/counter.model';
import { feePlanSchema } from './memberships/plan.model';
import { FeePlanResolver } from './memberships/plan.resolver';
import { duesEntrySchema, duesSummarySchema } from './memberships/dues.model';
import { DuesResolver } from './memberships/dues.resolver';
import { enrolmentSchema, membershipEntrySchema, membershipSchema, renewalRequestSchema } from './memberships/membership.model';
import { MembershipResolver, resolveMembershipReference } from './memberships/membership.resolver';
import { StudentFeesResolver } from './memberships/student-fees.resolver';
import { FeeCycleResolver } from './memberships/fee-cycle.resolver';
import { startRefundReconcileJob } from './fees/refund-reconcile.job';
import { REFUND_DUE_COLLECTION } from './fees/refund-due.service';
import { FEE_CYCLE_DUE_COLLECTION } from './memberships/fee-cycle-due.service';
import { dueMarksSchema } from '../../core/jobs/due-marks';
import { startFeeCycleJob } from './memberships/fee-cycle.job';
import { usePeriodicJob } from '../../core/jobs/periodic';
import { resolveShiftReference, ShiftFeePlansResolver } from './memberships/shift.resolver';
import { Shift } from './memberships/shift.type';
import { billingSubgraphModules, billingSubgraphRules } from './rules';
import { DocumentResolver } from './documents/document.resolver';
import { DOMAIN_CONSUMERS } from '../events';

export const name = 'billing' as const;

/** Collections the billing subgraph keeps in every tenant database. */
/** New tenants start with nothing but their collections here. */
export const onProvision = noProvisionState;

export const tenantSchemas = {
  Payment: paymentSchema,
  BillingCounter: counterSchema,
  PaymentOrder: paymentOrderSchema,
  PaymentRefund: refundSchema,
  PaymentClaim: claimSchema,
  BillingSettings: billingSettingsSchema,
  SaasSubscription: subscriptionSchema,
  SaasSubscriptionChange: subscriptionChangeSchema,
  FeePlan: feePlanSchema,
  Membership: membershipSchema,
  MembershipEntry: membershipEntrySchema,
  MembershipEnrolment: enrolmentSchema,
  MembershipRenewalRequest: renewalRequestSchema,
  DuesEntry: duesEntrySchema,
  DuesSummary: duesSummarySchema,
  MoneyRollup: moneyRollupSchema,
  MoneyRollupCheckpoint: moneyCheckpointSchema,
  MoneyFact: moneyFactSchema,
};

/** Billing's platform-level collections: webhooks find tenants and orders through them. */
export const platformSchemas = {
  PaymentOrderIndex: orderIndexSchema,
  // Tenants with a gateway refund to reconcile (fees/refund-due.service.ts).
  RefundDueMark: dueMarksSchema(REFUND_DUE_COLLECTION),
  // Tenants whose fee cycle is due: daily, and after membership changes (memberships/fee-cycle-due.service.ts).
  FeeCycleDueMark: dueMarksSchema(FEE_CYCLE_DUE_COLLECTION),
  PaymentWebhookEvent: webhookEventSchema,
  // The platform's own billing of tenants: its orders, captures, SaaS invoices (SAAS series counter), dunning steps.
  PlatformPaymentOrder: platformOrderSchema,
  PlatformPaymentCapture: platformCaptureSchema,
  SaasInvoice: saasInvoiceSchema,
  SaasDunning: saasDunningSchema,
  BillingCounter: platformCounterSchema,
};

/** Variables this subgraph reads besides loadConfig's: payment gateways, the tenants' and the platform's (tests/compose.test.ts). */
export const ENV_VARS: readonly string[] = Object.keys(billingEnv);

/** The domain events it emits (with their payloads) and the consumers it runs (./events.ts). */
export { billingEvents as events } from './events';

/** Subscription fields the gateway serves for this subgraph (./subscriptions.ts). */
export { billingSubscriptions as subscriptions } from './subscriptions';

export const definition: SubgraphDefinition = {
  rules: billingSubgraphRules,
  modules: billingSubgraphModules,
  resolvers: [
    PaymentResolver,
    StudentPaymentsResolver,
    RevenueResolver,
    PaymentOrderResolver,
    RefundResolver,
    BillingSettingsResolver,
    SubscriptionResolver,
    RevenueReportResolver,
    MoneyReportResolver,
    SaasRevenueResolver,
    SaasAccountResolver,
    SaasInvoiceResolver,
    SubscriptionChangeInvoiceResolver,
    PlatformOrderResolver,
    FeePlanResolver,
    MembershipResolver,
    StudentFeesResolver,
    DuesResolver,
    FeeCycleResolver,
    ShiftFeePlansResolver,
    DocumentResolver,
  ],
  orphanedTypes: [Student, Library, Shift],
  references: {
    Payment: resolvePaymentReference,
    Student: resolveStudentReference,
    Library: resolveLibraryReference,
    Membership: resolveMembershipReference,
    Shift: resolveShiftReference,
  },
};

/** The rules its shield is built from (./rules.ts). */
export const rules = definition.rules;

export interface BillingOptions extends SubgraphRuntime {
  /** Payment gateways (base URLs, credentials, timeout); default: from the environment. */
  gateways?: GatewayOptions;
  /** The PLATFORM's merchant account (SaaS invoices, credit packages); default: PLATFORM_* from the environment. */
  platformGateways?: GatewayOptions;
  /** The clock of subscription periods and trials (tests move it); default: real time. */
  now?: () => Date;
  /** How often the fee-cycle job looks for tenants due (renewals, late fees, expiries), in ms; default 1 min (env BILLING_FEE_CYCLE_INTERVAL_MS), 0 = off; off in tests unless given. */
  feeCycleIntervalMs?: number;
  /** Pending gateway refunds' reconciliation period in ms; default 1 min (env BILLING_REFUND_RECONCILE_INTERVAL_MS), 0 = off; off in tests unless given. */
  refundReconcileIntervalMs?: number;
  /** The cycles' timing and pay links; default: from the environment (billing.env.ts). */
  settings?: BillingSettings;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: BillingOptions = {}) {
  const runtime: BillingRuntime = {};
  const settings = opts.settings ?? billingSettings(loadServiceEnv(billingEnv), config.subgraphUrls.billing);
  const services: BillingServices = {
    payments: paymentServices(opts.gateways ?? gatewayOptionsFromEnv()),
    platformPayments: paymentServices(opts.platformGateways ?? gatewayOptionsFromEnv(undefined, 'PLATFORM_')),
    runtime,
    settings,
    ...(opts.now ? { clock: opts.now } : {}),
  };
  const feeCycleMs = opts.feeCycleIntervalMs ?? (config.env === 'test' ? 0 : settings.feeCycleIntervalMs);
  const reconcileMs = opts.refundReconcileIntervalMs ?? (config.env === 'test' ? 0 : settings.refundReconcileIntervalMs);
  const clock = opts.now ?? (() => new Date());
  return startSubgraphServer<BillingServices>({
    name,
    consumers: DOMAIN_CONSUMERS,
    config,
    db,
    pubsub: opts.pubsub,
    logDestination: opts.logDestination,
    definition,
    tenantSchemas,
    onProvision,
    platformSchemas,
    services,
    // Webhooks, GET /invoices/<paymentId>.html and GET /exports/revenue.csv.
    routes: billingRoutes,
    // Periodic jobs, each safe on several instances: the SaaS billing cycle every SAAS_BILLING_INTERVAL_MS
    // (0: only runSaasBillingCycle) and the fee cycle (renewals, late fees, expiries; runFeeCycle runs it now).
    onStart: async (deps) => {
      runtime.deps = deps;
      const stops: (() => unknown)[] = [];
      const every = settings.saas.intervalMs;
      if (every && config.env !== 'test') {
        stops.push(
          usePeriodicJob({
            name: 'saas billing cycle',
            intervalMs: every,
            log: deps.log,
            run: () => runBillingCycle(deps, now({ services })).then(() => undefined),
          }),
        );
      }
      if (feeCycleMs > 0) stops.push(startFeeCycleJob(deps, clock, feeCycleMs));
      if (reconcileMs > 0) stops.push(startRefundReconcileJob(deps, clock, reconcileMs));
      return async () => {
        for (const stop of stops) await stop();
      };
    },
  });
}
