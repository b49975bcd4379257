import type { MessagingDeps } from './context';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { WebhookConfig } from './messaging.env';
import { applyDeliveryReports } from './delivery-report.service';
import { parseMsg91Reports, parseWhatsAppReports } from './webhook-parse.service';

/** Constant-time comparison of two strings of any length. */
const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/**
 * Delivery-report webhooks. WhatsApp: X-Hub-Signature-256 = "sha256=" + hex
 * HMAC-SHA256 of the exact raw body with the Meta app secret. MSG91 signs
 * nothing, so its webhook is configured to send a shared secret in the
 * `x-webhook-secret` header. Bad or missing authentication → 401, nothing changed.
 */
export function webhookRoutes(config: WebhookConfig) {
  return (app: express.Express, deps: MessagingDeps) => {
    const raw = express.raw({ type: () => true, limit: '1mb' });

    app.get('/webhooks/whatsapp', (req, res) => {
      const token = config.whatsappVerifyToken;
      const ok = token && req.query['hub.mode'] === 'subscribe' && sameSecret(String(req.query['hub.verify_token'] ?? ''), token);
      if (!ok) return void res.status(403).end();
      res.type('text/plain').send(String(req.query['hub.challenge'] ?? ''));
    });

    app.post('/webhooks/whatsapp', raw, (req, res) => {
      const secret = config.whatsappAppSecret;
      if (!secret) return void res.status(404).end();
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      if (!sameSecret(String(req.header('x-hub-signature-256') ?? ''), expected)) return void res.status(401).json({ error: 'bad signature' });
      handle(deps, res, 'whatsapp', () => parseWhatsAppReports(JSON.parse(body.toString('utf8'))));
    });

    app.post('/webhooks/msg91', raw, (req, res) => {
      const secret = config.msg91Secret;
      if (!secret) return void res.status(404).end();
      if (!sameSecret(String(req.header('x-webhook-secret') ?? ''), secret)) return void res.status(401).json({ error: 'bad secret' });
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      handle(deps, res, 'msg91', () => parseMsg91Reports(JSON.parse(body.toString('utf8'))));
    });
  };
}

function handle(deps: MessagingDeps, res: express.Response, provider: string, parse: () => ReturnType<typeof parseMsg91Reports>) {
  let reports;
  try {
    reports = parse();
  } catch {
    return void res.status(400).json({ error: 'invalid payload' });
  }
  applyDeliveryReports(deps, provider, reports)
    .then((updated) => res.json({ received: reports.length, updated }))
    .catch((err: unknown) => {
      deps.log.error({ err, provider }, 'delivery report failed');
      // 5xx: the provider retries later.
      res.status(500).json({ error: 'try again' });
    });
}
