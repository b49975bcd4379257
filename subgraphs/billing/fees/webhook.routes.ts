import type express from 'express';
import { type BillingDeps, servicesOf } from '../context';
import { payments } from '../providers/gateway.env';
import { providerWebhookRoutes } from '../providers/webhook.routes';
import { settleFromWebhook } from './webhook.service';

/** Webhooks of the tenants' fee payments (signature checks and parsing: providers/webhook.routes.ts). */
export function webhookRoutes(app: express.Express, deps: BillingDeps): void {
  providerWebhookRoutes(app, deps, {
    base: '/webhooks',
    services: payments({ services: servicesOf(deps) }),
    markerPrefix: '',
    settle: (provider, providerOrderId, paid) => settleFromWebhook(deps, provider, providerOrderId, paid),
  });
}
