import { createHmac, timingSafeEqual } from 'node:crypto';

const hmac = (secret: string, data: string | Buffer) => createHmac('sha256', secret).update(data);

/** Constant-time comparison of two strings of the same encoding (length leaks nothing secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Razorpay Checkout: hex HMAC-SHA256("<order_id>|<payment_id>", key secret). */
export const razorpayCheckoutSignature = (keySecret: string, orderId: string, paymentId: string) => hmac(keySecret, `${orderId}|${paymentId}`).digest('hex');

/** Razorpay webhooks: hex HMAC-SHA256(raw body, webhook secret). */
export const razorpayWebhookSignature = (webhookSecret: string, raw: Buffer) => hmac(webhookSecret, raw).digest('hex');

/** Cashfree webhooks: base64 HMAC-SHA256(timestamp + raw body, client secret). */
export const cashfreeWebhookSignature = (clientSecret: string, timestamp: string, raw: Buffer) =>
  hmac(clientSecret, Buffer.concat([Buffer.from(timestamp), raw])).digest('base64');
