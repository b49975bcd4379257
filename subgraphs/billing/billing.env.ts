import { z } from 'zod';
import { paymentEnv } from './providers/gateway.env';

/** The billing subgraph's own variables (core/config.ts loadServiceEnv; its ENV_VARS are these keys). */
export const billingEnv = {
  // Both merchant accounts (providers/gateway.env.ts validates each account).
  ...paymentEnv,
  // SaaS billing cycle: renewal invoice this many days before a period ends, grace after it ends
  // before suspension, and how often the cycle runs (0 = only runSaasBillingCycle).
  SAAS_RENEWAL_NOTICE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  SAAS_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  SAAS_BILLING_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(3_600_000),
  // Dunning e-mails carry a signed pay link to GET /pay/<token>: the PUBLIC base URL of this service, and the links' lifetime.
  SAAS_PAY_LINK_BASE_URL: z.string().url().optional(),
  SAAS_PAY_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(30),
  // The students' fee cycle (renewals, late fees after grace, expiries): how often the tenants due are looked for; each runs daily and after membership changes (0 = only runFeeCycle).
  BILLING_FEE_CYCLE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  // Gateway refunds left pending by a timeout: how often the tenants with one due are reconciled (0 = off).
  BILLING_REFUND_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
};

/** The SaaS billing cycle's timing and pay links. */
export interface SaasSettings {
  renewalNoticeDays: number;
  graceDays: number;
  /** 0 = only on demand (runSaasBillingCycle). */
  intervalMs: number;
  /** Public base URL of GET /pay/<token> (default: this service's own URL without /graphql). */
  payLinkBaseUrl: string;
  payLinkTtlDays: number;
}

/** Billing's cycle settings, in `services.settings`. */
export interface BillingSettings {
  saas: SaasSettings;
  /** How often the student fee cycle runs; 0 = only on demand (runFeeCycle). */
  feeCycleIntervalMs: number;
  /** How often pending gateway refunds are reconciled (fees/refund-reconcile.job.ts); 0 = off. */
  refundReconcileIntervalMs: number;
}

/** The settings from the variables as loadServiceEnv(billingEnv) validated them; `billingUrl` is this service's GraphQL URL. */
export function billingSettings(e: z.infer<z.ZodObject<typeof billingEnv>>, billingUrl = 'http://localhost:4003/graphql'): BillingSettings {
  return {
    saas: {
      renewalNoticeDays: e.SAAS_RENEWAL_NOTICE_DAYS,
      graceDays: e.SAAS_GRACE_DAYS,
      intervalMs: e.SAAS_BILLING_INTERVAL_MS,
      payLinkBaseUrl: (e.SAAS_PAY_LINK_BASE_URL ?? billingUrl.replace(/\/graphql$/, '')).replace(/\/$/, ''),
      payLinkTtlDays: e.SAAS_PAY_LINK_TTL_DAYS,
    },
    feeCycleIntervalMs: e.BILLING_FEE_CYCLE_INTERVAL_MS,
    refundReconcileIntervalMs: e.BILLING_REFUND_RECONCILE_INTERVAL_MS,
  };
}
