import { GatewayError, type CreateOrderRequest, type CreatedOrder, type PaymentGateway, type ProviderName } from './payment-gateway.provider';

/** Fees from the merchant agreements (platform plan): Cashfree 1.5% + ₹3, Razorpay 2%. In paise. */
export const FEES: Record<ProviderName, (amount: number) => number> = {
  cashfree: (amount) => Math.round(amount * 0.015) + 300,
  razorpay: (amount) => Math.round(amount * 0.02),
};

export type RoutingReason = 'cheapest' | 'failover';

export interface RoutingAttempt {
  provider: ProviderName;
  ok: boolean;
  /** Short, credential-free reason, e.g. "timed out", "HTTP 502". */
  error?: string;
  durationMs: number;
  fee: number;
}

export interface RoutedOrder {
  created: CreatedOrder | null;
  chosen: ProviderName | null;
  reason: RoutingReason;
  attempts: RoutingAttempt[];
}

/** Configured providers, cheapest fee first (ties: the order of FEES, Cashfree then Razorpay). */
export function byFee(gateways: Partial<Record<ProviderName, PaymentGateway>>, amount: number): PaymentGateway[] {
  const list = (Object.keys(FEES) as ProviderName[]).flatMap((p) => (gateways[p] ? [gateways[p]!] : []));
  return list.sort((a, b) => FEES[a.name](amount) - FEES[b.name](amount));
}

/**
 * Creates the order at the cheapest provider; on an error or after `timeoutMs`,
 * at the next. Every attempt is reported, so the order records why it went where.
 */
export async function routeOrder(gateways: Partial<Record<ProviderName, PaymentGateway>>, req: CreateOrderRequest, timeoutMs: number): Promise<RoutedOrder> {
  const attempts: RoutingAttempt[] = [];
  for (const gw of byFee(gateways, req.amount)) {
    const started = Date.now();
    const fee = FEES[gw.name](req.amount);
    try {
      const created = await gw.createOrder(req, AbortSignal.timeout(timeoutMs));
      attempts.push({ provider: gw.name, ok: true, durationMs: Date.now() - started, fee });
      return { created, chosen: gw.name, reason: attempts.length > 1 ? 'failover' : 'cheapest', attempts };
    } catch (err) {
      const error = err instanceof GatewayError ? err.message.replace(`${gw.name}: `, '') : 'failed';
      attempts.push({ provider: gw.name, ok: false, error, durationMs: Date.now() - started, fee });
    }
  }
  return { created: null, chosen: null, reason: attempts.length > 1 ? 'failover' : 'cheapest', attempts };
}
