import type express from 'express';
import type { ContextDeps } from '../../../core/context';
import { payments } from '../providers/gateway.config';
import { providerWebhookRoutes } from '../providers/webhook.routes';
import { settleFromWebhook } from './webhook.service';

/** Webhooks of the tenants' fee payments (signature checks and parsing: providers/webhook.routes.ts). */
export function webhookRoutes(app: express.Express, deps: ContextDeps): void {
  providerWebhookRoutes(app, deps, {
    base: '/webhooks', services: payments({ services: deps.services ?? {} }), markerPrefix: '',
    settle: (provider, providerOrderId, paid) => settleFromWebhook(deps, provider, providerOrderId, paid),
  });
}
