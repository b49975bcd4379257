import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { claimSchema } from './fees/claim.model';
import { counterSchema } from './invoicing/counter.model';
import { gatewayOptionsFromEnv, paymentServices, type GatewayOptions } from './providers/gateway.config';
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
import { RevenueReportResolver } from './fees/revenue.report.resolver';
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
import type { BillingRuntime } from './platform/runtime';
import { counterSchema as platformCounterSchema } from './invoicing/counter.model';

/** Collections the billing subgraph keeps in every tenant database. */
export const billingSubgraphSchemas = {
  Payment: paymentSchema, BillingCounter: counterSchema, PaymentOrder: paymentOrderSchema, PaymentRefund: refundSchema, PaymentClaim: claimSchema,
  BillingSettings: billingSettingsSchema, SaasSubscription: subscriptionSchema, SaasSubscriptionChange: subscriptionChangeSchema,
};

/** Billing's platform-level collections: webhooks find tenants and orders through them. */
export const billingPlatformSchemas = {
  PaymentOrderIndex: orderIndexSchema, PaymentWebhookEvent: webhookEventSchema,
  // The platform's own billing of tenants: its orders, captures, SaaS invoices (SAAS series counter), dunning steps.
  PlatformPaymentOrder: platformOrderSchema, PlatformPaymentCapture: platformCaptureSchema, SaasInvoice: saasInvoiceSchema,
  SaasDunning: saasDunningSchema, BillingCounter: platformCounterSchema,
};

export const definition: SubgraphDefinition = {
  resolvers: [PaymentResolver, StudentPaymentsResolver, RevenueResolver, PaymentOrderResolver, RefundResolver,
    BillingSettingsResolver, SubscriptionResolver, RevenueReportResolver, SaasRevenueResolver,
    SaasAccountResolver, SaasInvoiceResolver, SubscriptionChangeInvoiceResolver, PlatformOrderResolver],
  orphanedTypes: [Student, Library],
  references: { Payment: resolvePaymentReference, Student: resolveStudentReference, Library: resolveLibraryReference },
};

export interface BillingOptions extends SubgraphRuntime {
  /** Payment gateways (base URLs, credentials, timeout); default: from the environment. */
  gateways?: GatewayOptions;
  /** The PLATFORM's merchant account (SaaS invoices, credit packages); default: PLATFORM_* from the environment. */
  platformGateways?: GatewayOptions;
  /** The clock of subscription periods and trials (tests move it); default: real time. */
  now?: () => Date;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: BillingOptions = {}) {
  const runtime: BillingRuntime = {};
  const services = {
    payments: paymentServices(opts.gateways ?? gatewayOptionsFromEnv()),
    platformPayments: paymentServices(opts.platformGateways ?? gatewayOptionsFromEnv(process.env, 'PLATFORM_')),
    runtime,
    ...(opts.now ? { clock: opts.now } : {}),
  };
  return startSubgraphServer({
    name: 'billing',
    config,
    db,
    pubsub: opts.pubsub,
    logDestination: opts.logDestination,
    definition,
    tenantSchemas: billingSubgraphSchemas,
    platformSchemas: billingPlatformSchemas,
    services,
    // The SaaS billing cycle every SAAS_BILLING_INTERVAL_MS (0: only runSaasBillingCycle); safe on several instances.
    onStart: async (deps) => {
      runtime.deps = deps;
      const every = config.saasBilling.intervalMs;
      if (!every || config.env === 'test') return () => undefined;
      const timer = setInterval(() => {
        runBillingCycle(deps, now({ services })).catch((err: unknown) => deps.log.error({ err }, 'saas billing cycle failed'));
      }, every);
      timer.unref();
      return () => clearInterval(timer);
    },
    // Webhooks, GET /invoices/<paymentId>.html and GET /exports/revenue.csv.
    routes: billingRoutes,
  });
}
