import { z } from 'zod';
import { loadServiceEnv } from '../../../core/config';
import type { BillingContext, BillingServices } from '../context';
import { AppError } from '../../../core/errors';
import { CashfreeGateway, type CashfreeConfig } from './cashfree.provider';
import type { PaymentGateway, ProviderName } from './payment-gateway.provider';
import { RazorpayGateway, type RazorpayConfig } from './razorpay.provider';

/** Per-subgraph options of createServer (tests pass fakes' URLs; production reads the environment). */
export interface GatewayOptions {
  razorpay?: RazorpayConfig;
  cashfree?: CashfreeConfig;
  /** Per provider call; the next provider is tried after it. */
  timeoutMs?: number;
}

/** What resolvers and webhook routes find in `services.payments`. */
export interface PaymentServices {
  gateways: Partial<Record<ProviderName, PaymentGateway>>;
  razorpay?: RazorpayConfig;
  cashfree?: CashfreeConfig;
  timeoutMs: number;
}

const env = z.object({
  RAZORPAY_BASE_URL: z.string().url().default('https://api.razorpay.com'),
  RAZORPAY_KEY_ID: z.string().min(1).optional(),
  RAZORPAY_KEY_SECRET: z.string().min(1).optional(),
  RAZORPAY_WEBHOOK_SECRET: z.string().min(1).optional(),
  CASHFREE_BASE_URL: z.string().url().default('https://api.cashfree.com'),
  CASHFREE_CLIENT_ID: z.string().min(1).optional(),
  CASHFREE_CLIENT_SECRET: z.string().min(1).optional(),
  PAYMENT_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
});

/**
 * Gateway settings from the environment; a provider without all its credentials is simply not used.
 * `prefix` 'PLATFORM_' reads the platform's own merchant account (PLATFORM_RAZORPAY_KEY_ID, ...),
 * which collects SaaS invoices and credit packages — never the tenants' fee payments.
 */
/** The variables of one merchant account (read again with the PLATFORM_ prefix for the platform's). */
export const PAYMENT_ENV_VARS: readonly string[] = Object.keys(env.shape);

/** Both merchant accounts' variables as given (part of ../billing.env.ts); gatewayOptionsFromEnv validates each account. */
export const paymentEnv = Object.fromEntries([...PAYMENT_ENV_VARS, ...PAYMENT_ENV_VARS.map((v) => `PLATFORM_${v}`)].map((v) => [v, z.string().optional()]));

export function gatewayOptionsFromEnv(source: NodeJS.ProcessEnv = loadServiceEnv(paymentEnv), prefix = ''): GatewayOptions {
  // Empty = unset (Compose passes `${VAR:-}` as '').
  const e = env.parse(
    Object.fromEntries(
      Object.entries(source)
        .filter(([k, v]) => k.startsWith(prefix) && v !== '')
        .map(([k, v]) => [k.slice(prefix.length), v]),
    ),
  );
  const opts: GatewayOptions = { timeoutMs: e.PAYMENT_GATEWAY_TIMEOUT_MS };
  if (e.RAZORPAY_KEY_ID && e.RAZORPAY_KEY_SECRET && e.RAZORPAY_WEBHOOK_SECRET) {
    opts.razorpay = { baseUrl: e.RAZORPAY_BASE_URL, keyId: e.RAZORPAY_KEY_ID, keySecret: e.RAZORPAY_KEY_SECRET, webhookSecret: e.RAZORPAY_WEBHOOK_SECRET };
  }
  if (e.CASHFREE_CLIENT_ID && e.CASHFREE_CLIENT_SECRET) {
    opts.cashfree = { baseUrl: e.CASHFREE_BASE_URL, clientId: e.CASHFREE_CLIENT_ID, clientSecret: e.CASHFREE_CLIENT_SECRET };
  }
  return opts;
}

export function paymentServices(opts: GatewayOptions): PaymentServices {
  const gateways: PaymentServices['gateways'] = {};
  if (opts.razorpay) gateways.razorpay = new RazorpayGateway(opts.razorpay);
  if (opts.cashfree) gateways.cashfree = new CashfreeGateway(opts.cashfree);
  return { gateways, razorpay: opts.razorpay, cashfree: opts.cashfree, timeoutMs: opts.timeoutMs ?? 3000 };
}

export function payments(ctx: { services: Readonly<BillingServices> }, account: 'payments' | 'platformPayments' = 'payments'): PaymentServices {
  // Absent only in a context built without billing's services (none today): no gateway configured.
  const s: PaymentServices | undefined = ctx.services[account];
  return s ?? { gateways: {}, timeoutMs: 3000 };
}

export const gatewayOf = (ctx: BillingContext, provider: ProviderName): PaymentGateway => {
  const g = payments(ctx).gateways[provider];
  if (!g) throw new AppError('SERVICE_UNAVAILABLE', `Payment provider ${provider} is not configured`);
  return g;
};
