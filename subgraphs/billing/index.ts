import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { claimSchema } from './claim.model';
import { counterSchema } from './counter.model';
import { gatewayOptionsFromEnv, paymentServices, type GatewayOptions } from './gateway.config';
import { resolveLibraryReference } from './library.resolver';
import { Library } from './library.type';
import { orderIndexSchema } from './order-index.model';
import { paymentOrderSchema } from './order.model';
import { PaymentOrderResolver } from './order.resolver';
import { paymentSchema } from './payment.model';
import { PaymentResolver, resolvePaymentReference } from './payment.resolver';
import { refundSchema } from './refund.model';
import { RefundResolver } from './refund.resolver';
import { RevenueResolver } from './revenue.resolver';
import { resolveStudentReference, StudentPaymentsResolver } from './student.resolver';
import { Student } from './student.type';
import { webhookEventSchema } from './webhook-event.model';
import { RevenueReportResolver } from './revenue.report.resolver';
import { billingRoutes } from './routes';
import { billingSettingsSchema } from './settings.model';
import { BillingSettingsResolver } from './settings.resolver';
import { subscriptionChangeSchema, subscriptionSchema } from './subscription.model';
import { SubscriptionResolver } from './subscription.resolver';
import { SaasRevenueResolver } from './saas-revenue.resolver';

/** Collections the billing subgraph keeps in every tenant database. */
export const billingSubgraphSchemas = {
  Payment: paymentSchema, BillingCounter: counterSchema, PaymentOrder: paymentOrderSchema, PaymentRefund: refundSchema, PaymentClaim: claimSchema,
  BillingSettings: billingSettingsSchema, SaasSubscription: subscriptionSchema, SaasSubscriptionChange: subscriptionChangeSchema,
};

/** Billing's platform-level collections: webhooks find tenants and orders through them. */
export const billingPlatformSchemas = { PaymentOrderIndex: orderIndexSchema, PaymentWebhookEvent: webhookEventSchema };

export const definition: SubgraphDefinition = {
  resolvers: [PaymentResolver, StudentPaymentsResolver, RevenueResolver, PaymentOrderResolver, RefundResolver,
    BillingSettingsResolver, SubscriptionResolver, RevenueReportResolver, SaasRevenueResolver],
  orphanedTypes: [Student, Library],
  references: { Payment: resolvePaymentReference, Student: resolveStudentReference, Library: resolveLibraryReference },
};

export interface BillingOptions extends SubgraphRuntime {
  /** Payment gateways (base URLs, credentials, timeout); default: from the environment. */
  gateways?: GatewayOptions;
  /** The clock of subscription periods and trials (tests move it); default: real time. */
  now?: () => Date;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: BillingOptions = {}) {
  return startSubgraphServer({
    name: 'billing',
    config,
    db,
    pubsub: opts.pubsub,
    logDestination: opts.logDestination,
    definition,
    tenantSchemas: billingSubgraphSchemas,
    platformSchemas: billingPlatformSchemas,
    services: { payments: paymentServices(opts.gateways ?? gatewayOptionsFromEnv()), ...(opts.now ? { clock: opts.now } : {}) },
    // Webhooks, GET /invoices/<paymentId>.html and GET /exports/revenue.csv.
    routes: billingRoutes,
  });
}
