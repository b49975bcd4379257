import type { BillingContext } from '../context';
import { AppError, badInput, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { payments } from '../providers/gateway.env';
import type { VerifyRazorpayPaymentInput } from './order.input';
import { paymentOrderModel, type PaymentOrderDoc } from './order.model';
import { toPayment } from './payment.service';
import { settleOrder } from './settle.service';
import { razorpayCheckoutSignature, safeEqual } from '../providers/signature.service';

/**
 * Razorpay Checkout's success callback, relayed by the client: the signature
 * proves Razorpay vouched for this payment of this order. A bad one changes nothing.
 */
export async function verifyRazorpayPayment(ctx: BillingContext, input: VerifyRazorpayPaymentInput) {
  const orderId = parseId(input.orderId, 'orderId');
  const conn = await ctx.tenantDb();
  const order = await paymentOrderModel(conn).findById(orderId).lean<PaymentOrderDoc>();
  if (!order) throw notFound('PaymentOrder');
  if (order.provider !== 'razorpay' || !order.providerOrderId) throw badInput('orderId', 'is not a Razorpay order');
  const secret = payments(ctx).razorpay?.keySecret;
  if (!secret) throw new AppError('SERVICE_UNAVAILABLE', 'Razorpay is not configured');
  const expected = razorpayCheckoutSignature(secret, order.providerOrderId, input.razorpayPaymentId);
  if (!safeEqual(expected, input.razorpaySignature)) {
    ctx.log.warn({ orderId: input.orderId }, 'razorpay checkout signature mismatch');
    throw badInput('razorpaySignature', 'does not match this order and payment');
  }
  const tenantId = (await ctx.tenant())._id.toHexString();
  // Checkout does not tell the amount; a verified order is paid in full (webhooks carry the captured amount).
  const { doc } = await settleOrder(
    conn,
    tenantId,
    order,
    {
      provider: 'razorpay',
      providerPaymentId: input.razorpayPaymentId,
      amount: order.amount,
    },
    ctx.emit,
  );
  return toPayment(doc);
}
