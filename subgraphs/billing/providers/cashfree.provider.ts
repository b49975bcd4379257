import { GatewayError, getJson, postJson, toRupees } from './payment-gateway.provider';
import type { CreateOrderRequest, CreatedOrder, PaymentGateway, RefundLookup, RefundRequest, RefundState } from './payment-gateway.provider';

export interface CashfreeConfig {
  baseUrl: string;
  clientId: string;
  /** Also the key of webhook signatures. */
  clientSecret: string;
}

const API_VERSION = '2023-08-01';

/** Cashfree PG Orders API (amounts in rupees, credentials in headers). */
export class CashfreeGateway implements PaymentGateway {
  readonly name = 'cashfree' as const;
  constructor(private readonly cfg: CashfreeConfig) {}

  private get headers() {
    return { 'x-client-id': this.cfg.clientId, 'x-client-secret': this.cfg.clientSecret, 'x-api-version': API_VERSION };
  }

  async createOrder(req: CreateOrderRequest, signal: AbortSignal): Promise<CreatedOrder> {
    const body = {
      order_id: req.receipt,
      order_amount: toRupees(req.amount),
      order_currency: req.currency,
      customer_details: { customer_id: req.customer?.id ?? req.receipt, customer_phone: req.customer?.phone },
      order_tags: req.notes,
    };
    const res = await postJson<{ order_id?: string; payment_session_id?: string; order_status?: string }>(
      'cashfree',
      `${this.cfg.baseUrl}/pg/orders`,
      this.headers,
      body,
      signal,
    );
    if (res.order_id !== req.receipt || typeof res.payment_session_id !== 'string') {
      throw new GatewayError('cashfree', 'answer without the order or a payment session');
    }
    // Webhooks name the order by our order_id, so that is the provider order id we index.
    return { provider: 'cashfree', providerOrderId: res.order_id, checkout: { cashfreePaymentSessionId: res.payment_session_id } };
  }

  async refund(req: RefundRequest, signal: AbortSignal): Promise<{ providerRefundId: string }> {
    const url = `${this.cfg.baseUrl}/pg/orders/${encodeURIComponent(req.providerOrderId)}/refunds`;
    const res = await postJson<{ cf_refund_id?: string | number; refund_id?: string }>(
      'cashfree',
      url,
      this.headers,
      { refund_amount: toRupees(req.amount), refund_id: req.refundId },
      signal,
    );
    const id = res.cf_refund_id ?? res.refund_id;
    if (id === undefined) throw new GatewayError('cashfree', 'answer without a refund id');
    return { providerRefundId: String(id) };
  }

  /** Our refund by our refund_id (404: Cashfree never got it). */
  async refundStatus(req: RefundLookup, signal: AbortSignal): Promise<RefundState> {
    const url = `${this.cfg.baseUrl}/pg/orders/${encodeURIComponent(req.providerOrderId)}/refunds/${encodeURIComponent(req.refundId)}`;
    const res = await getJson<{ cf_refund_id?: string | number; refund_status?: string }>('cashfree', url, this.headers, signal);
    if (!res) return { status: 'absent' };
    const s = res.refund_status;
    const status = s === 'SUCCESS' ? 'processed' : s === 'CANCELLED' || s === 'FAILED' ? 'failed' : 'pending';
    return { status, providerRefundId: String(res.cf_refund_id ?? req.refundId) };
  }
}
