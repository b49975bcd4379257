import type { ContextDeps, RequestContext } from '../../core/context';
import type { BillingSettings } from './billing.env';
import type { PaymentServices } from './providers/gateway.env';

/** Set by billing's onStart before any request is served: what webhook-free paths (verify, cycle) need to act as the service. */
export interface BillingRuntime {
  deps?: BillingDeps;
}

/** What billing's resolvers, services and routes find in `ctx.services` (given by createServer). */
export interface BillingServices {
  /** The tenants' payment gateways (their own merchant accounts). */
  payments: PaymentServices;
  /** The platform's merchant account: SaaS invoices and credit packages. */
  platformPayments: PaymentServices;
  runtime: BillingRuntime;
  /** The SaaS billing cycle's and the fee cycle's timing, pay links (billing.env.ts). */
  settings: BillingSettings;
  /** The clock of periods, trials and fee cycles (tests move it); absent: real time. */
  clock?: () => Date;
}

export type BillingContext = RequestContext<BillingServices>;
export type BillingDeps = ContextDeps<BillingServices>;

/** The services of billing's start-up deps (createServer always gives them). */
export function servicesOf(deps: BillingDeps): Readonly<BillingServices> {
  if (!deps.services) throw new Error('billing services are not set');
  return deps.services;
}
