import {
  GatewayError,
  getJson,
  postJson,
  type CreateOrderRequest,
  type CreatedOrder,
  type PaymentGateway,
  type RefundLookup,
  type RefundRequest,
  type RefundState,
} from './payment-gateway.provider';

export interface RazorpayConfig {
  baseUrl: string;
  keyId: string;
  keySecret: string;
  /** Webhook secret (set in the Razorpay dashboard) — NOT the key secret. */
  webhookSecret: string;
}

/** Razorpay Orders API (amounts in paise, HTTP basic auth key_id:key_secret). */
export class RazorpayGateway implements PaymentGateway {
  readonly name = 'razorpay' as const;
  constructor(private readonly cfg: RazorpayConfig) {}

  private get auth() {
    return { authorization: `Basic ${Buffer.from(`${this.cfg.keyId}:${this.cfg.keySecret}`).toString('base64')}` };
  }

  async createOrder(req: CreateOrderRequest, signal: AbortSignal): Promise<CreatedOrder> {
    const body = { amount: req.amount, currency: req.currency, receipt: req.receipt, notes: req.notes };
    const res = await postJson<{ id?: string; status?: string }>('razorpay', `${this.cfg.baseUrl}/v1/orders`, this.auth, body, signal);
    if (typeof res.id !== 'string' || !res.id.startsWith('order_')) throw new GatewayError('razorpay', 'answer without an order id');
    return { provider: 'razorpay', providerOrderId: res.id, checkout: { razorpayOrderId: res.id, razorpayKeyId: this.cfg.keyId } };
  }

  async refund(req: RefundRequest, signal: AbortSignal): Promise<{ providerRefundId: string }> {
    const url = `${this.cfg.baseUrl}/v1/payments/${encodeURIComponent(req.providerPaymentId)}/refund`;
    const res = await postJson<{ id?: string }>('razorpay', url, this.auth, { amount: req.amount, notes: { refundId: req.refundId } }, signal);
    if (typeof res.id !== 'string') throw new GatewayError('razorpay', 'answer without a refund id');
    return { providerRefundId: res.id };
  }

  /** The payment's refunds, ours found by its note (Razorpay keeps no id of ours). */
  async refundStatus(req: RefundLookup, signal: AbortSignal): Promise<RefundState> {
    const url = `${this.cfg.baseUrl}/v1/payments/${encodeURIComponent(req.providerPaymentId)}/refunds?count=100`;
    const res = await getJson<{ items?: { id: string; status?: string; notes?: { refundId?: string } }[] }>('razorpay', url, this.auth, signal);
    const found = res?.items?.find((r) => r.notes?.refundId === req.refundId);
    if (!found) return { status: 'absent' };
    const status = found.status === 'processed' ? 'processed' : found.status === 'failed' ? 'failed' : 'pending';
    return { status, providerRefundId: found.id };
  }
}
