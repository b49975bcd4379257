import express, { type Request, type Response } from 'express';
import type { BillingDeps } from '../context';
import type { PaymentServices } from './gateway.env';
import type { ProviderName } from './payment-gateway.provider';
import { cashfreeWebhookSignature, razorpayWebhookSignature, safeEqual } from './signature.service';
import { markSeen, seen } from './webhook-event.service';

const header = (req: Request, name: string) => {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
};
const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 100 ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- provider payloads are untyped JSON, validated field by field
function parse(raw: Buffer): any {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A captured payment as a webhook reports it. */
export interface CapturedPayment {
  provider: ProviderName;
  providerPaymentId: string;
  /** Paise actually captured. */
  amount: number;
  method?: string;
}

export interface WebhookTarget {
  /** e.g. '/webhooks' (students' fees, tenants' own accounts) or '/webhooks/platform'. */
  base: string;
  /** Whose credentials sign the webhooks. */
  services: PaymentServices;
  /** Prefix of the delivery markers, so two accounts' event ids never collide. */
  markerPrefix: string;
  /** Records the capture exactly once; the outcome is answered to the gateway. */
  settle: (provider: ProviderName, providerOrderId: string, paid: CapturedPayment) => Promise<string>;
}

/**
 * Gateway webhooks (no user token). Signatures are checked over the exact bytes
 * received (express.raw). A bad signature changes nothing and answers 401; the log
 * says which provider and why, never the body or headers (personal data).
 * Processing errors answer 500 so the gateway retries; everything else 200.
 */
export function providerWebhookRoutes(app: express.Express, deps: BillingDeps, target: WebhookTarget): void {
  const raw = express.raw({ type: () => true, limit: '256kb' });
  const svc = target.services;
  const log = deps.log.child({ route: `webhook ${target.base}` });
  const { settle } = target;

  const run = (provider: string, handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    handler(req, res).catch((err: unknown) => {
      log.error({ err, provider }, 'webhook processing failed');
      if (!res.headersSent) res.status(500).json({ status: 'error' });
    });
  };

  app.post(
    `${target.base}/razorpay`,
    raw,
    run('razorpay', async (req, res) => {
      const secret = svc.razorpay?.webhookSecret;
      if (!secret) return void res.status(404).end();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = header(req, 'x-razorpay-signature') ?? '';
      if (!safeEqual(razorpayWebhookSignature(secret, body), signature)) {
        log.warn({ provider: 'razorpay', hasSignature: signature.length > 0 }, 'webhook signature rejected');
        return void res.status(401).json({ status: 'invalid signature' });
      }
      const eventId = str(header(req, 'x-razorpay-event-id'));
      const marker = eventId ? `${target.markerPrefix}razorpay:${eventId}` : undefined;
      if (marker && (await seen(deps.db.platform(), marker))) return void res.json({ status: 'duplicate' });
      const event = parse(body);
      const entity = event?.payload?.payment?.entity;
      if (event?.event !== 'payment.captured' && event?.event !== 'order.paid') return void res.json({ status: 'ignored' });
      const [paymentId, orderId, amount] = [str(entity?.id), str(entity?.order_id), int(entity?.amount)];
      if (!paymentId || !orderId || !amount) {
        log.warn({ provider: 'razorpay', eventId }, 'webhook payload without payment id, order id or amount');
        return void res.status(400).json({ status: 'malformed' });
      }
      const outcome = await settle('razorpay', orderId, {
        provider: 'razorpay',
        providerPaymentId: paymentId,
        amount,
        method: str(entity.method),
      });
      if (outcome === 'unknown-order') log.warn({ provider: 'razorpay', eventId }, 'webhook for an unknown order');
      if (marker) await markSeen(deps.db.platform(), marker);
      res.json({ status: outcome });
    }),
  );

  app.post(
    `${target.base}/cashfree`,
    raw,
    run('cashfree', async (req, res) => {
      const secret = svc.cashfree?.clientSecret;
      if (!secret) return void res.status(404).end();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = header(req, 'x-webhook-signature') ?? '';
      const timestamp = header(req, 'x-webhook-timestamp') ?? '';
      if (!timestamp || !safeEqual(cashfreeWebhookSignature(secret, timestamp, body), signature)) {
        log.warn({ provider: 'cashfree', hasSignature: signature.length > 0 }, 'webhook signature rejected');
        return void res.status(401).json({ status: 'invalid signature' });
      }
      const data = parse(body)?.data;
      const payment = data?.payment;
      // Cashfree sends several attempts per order; only SUCCESS is final money.
      if (payment?.payment_status !== 'SUCCESS') return void res.json({ status: 'ignored' });
      const cfPaymentId = typeof payment.cf_payment_id === 'number' ? String(payment.cf_payment_id) : str(payment.cf_payment_id);
      const orderId = str(data?.order?.order_id);
      const rupees = typeof payment.payment_amount === 'number' ? payment.payment_amount : Number.NaN;
      const amount = Math.round(rupees * 100);
      if (!cfPaymentId || !orderId || !(amount > 0) || !Number.isSafeInteger(amount)) {
        log.warn({ provider: 'cashfree' }, 'webhook payload without payment id, order id or amount');
        return void res.status(400).json({ status: 'malformed' });
      }
      const marker = `${target.markerPrefix}cashfree:${cfPaymentId}`;
      if (await seen(deps.db.platform(), marker)) return void res.json({ status: 'duplicate' });
      const outcome = await settle('cashfree', orderId, {
        provider: 'cashfree',
        providerPaymentId: cfPaymentId,
        amount,
        method: str(payment.payment_group),
      });
      if (outcome === 'unknown-order') log.warn({ provider: 'cashfree', cfPaymentId }, 'webhook for an unknown order');
      await markSeen(deps.db.platform(), marker);
      res.json({ status: outcome });
    }),
  );
}
