import type express from 'express';
import type { ContextDeps } from '../../../core/context';
import { payments } from '../providers/gateway.config';
import { providerWebhookRoutes } from '../providers/webhook.routes';
import { settlePlatformWebhook } from './order.service';

/** Webhooks of the platform's merchant account: POST /webhooks/platform/{razorpay,cashfree}, signed with the platform's secrets. */
export function platformWebhookRoutes(app: express.Express, deps: ContextDeps): void {
  providerWebhookRoutes(app, deps, {
    base: '/webhooks/platform', services: payments({ services: deps.services ?? {} }, 'platformPayments'), markerPrefix: 'platform:',
    settle: (provider, providerOrderId, paid) => settlePlatformWebhook(deps, provider, providerOrderId, paid),
  });
}
