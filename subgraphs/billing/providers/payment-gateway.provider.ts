/** The payment providers StudySpot routes between. */
export type ProviderName = 'razorpay' | 'cashfree';

export interface CreateOrderRequest {
  /** Paise. */
  amount: number;
  currency: string;
  /** Our order id: Razorpay's `receipt`, Cashfree's `order_id`. */
  receipt: string;
  notes: Record<string, string>;
  /** Cashfree requires a customer; Razorpay ignores it. */
  customer?: { id: string; phone?: string };
}

export interface CreatedOrder {
  provider: ProviderName;
  providerOrderId: string;
  /** What the client needs to open the provider's checkout. */
  checkout: { razorpayOrderId?: string; razorpayKeyId?: string; cashfreePaymentSessionId?: string };
}

export interface RefundRequest {
  /** Provider payment id (Razorpay) and provider order id (Cashfree). */
  providerPaymentId: string;
  providerOrderId: string;
  /** Paise. */
  amount: number;
  /** Our refund id, unique per refund (Cashfree's refund_id; a Razorpay note). */
  refundId: string;
}

/** Which refund to look up: the payment's provider ids and our refund id. */
export type RefundLookup = Omit<RefundRequest, 'amount'>;

/** A refund as the provider has it; `absent`: it never reached the provider. */
export type RefundState = { status: 'processed' | 'failed' | 'pending'; providerRefundId: string } | { status: 'absent' };

/** One provider's order and refund API; throws GatewayError (or a timeout) on failure. */
export interface PaymentGateway {
  readonly name: ProviderName;
  createOrder(req: CreateOrderRequest, signal: AbortSignal): Promise<CreatedOrder>;
  refund(req: RefundRequest, signal: AbortSignal): Promise<{ providerRefundId: string }>;
  /** Reconciliation of a refund whose answer never came (refund-reconcile.service.ts). */
  refundStatus(req: RefundLookup, signal: AbortSignal): Promise<RefundState>;
}

/** A provider refused or failed a call. The message never carries credentials or bodies. */
export class GatewayError extends Error {
  constructor(
    readonly provider: ProviderName,
    message: string,
    readonly status?: number,
  ) {
    super(`${provider}: ${message}`);
  }
}

/** POSTs JSON and returns the parsed answer; non-2xx and bad JSON become GatewayError. */
export const postJson = <T>(provider: ProviderName, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<T> =>
  callJson<T>(provider, url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, signal) as Promise<T>;

/** GETs JSON: the parsed answer, null for 404; other non-2xx and bad JSON become GatewayError. */
export const getJson = <T>(provider: ProviderName, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<T | null> =>
  callJson<T>(provider, url, { method: 'GET', headers }, signal, { notFound: null });

async function callJson<T>(provider: ProviderName, url: string, init: RequestInit, signal: AbortSignal, opts: { notFound?: null } = {}): Promise<T | null> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal });
  } catch (err) {
    const name = (err as Error).name;
    throw new GatewayError(provider, name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'unreachable');
  }
  if (res.status === 404 && 'notFound' in opts) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new GatewayError(provider, `HTTP ${res.status}`, res.status);
  }
  try {
    return (await res.json()) as T;
  } catch {
    throw new GatewayError(provider, 'invalid JSON answer');
  }
}

/** Paise → rupees with two decimals, as Cashfree wants (e.g. 150050 → 1500.5). */
export const toRupees = (paise: number) => Math.round(paise) / 100;
