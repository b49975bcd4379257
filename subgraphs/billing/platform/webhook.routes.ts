import type express from 'express';
import { type BillingDeps, servicesOf } from '../context';
import { payments } from '../providers/gateway.env';
import { providerWebhookRoutes } from '../providers/webhook.routes';
import { settlePlatformWebhook } from './order.service';

/** Webhooks of the platform's merchant account: POST /webhooks/platform/{razorpay,cashfree}, signed with the platform's secrets. */
export function platformWebhookRoutes(app: express.Express, deps: BillingDeps): void {
  providerWebhookRoutes(app, deps, {
    base: '/webhooks/platform',
    services: payments({ services: servicesOf(deps) }, 'platformPayments'),
    markerPrefix: 'platform:',
    settle: (provider, providerOrderId, paid) => settlePlatformWebhook(deps, provider, providerOrderId, paid),
  });
}
