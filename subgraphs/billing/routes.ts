import type express from 'express';
import type { BillingDeps } from './context';
import { revenueExportRoutes } from './fees/revenue-export.service';
import { invoiceRoutes } from './invoicing/invoice.routes';
import { webhookRoutes } from './fees/webhook.routes';
import { platformWebhookRoutes } from './platform/webhook.routes';
import { payLinkRoutes } from './saas/pay.routes';
import { billingDocumentRoutes } from './documents/document.routes';

/** Every HTTP route of the billing service besides /graphql. */
export function billingRoutes(app: express.Express, deps: BillingDeps): void {
  webhookRoutes(app, deps);
  platformWebhookRoutes(app, deps);
  invoiceRoutes(app, deps);
  revenueExportRoutes(app, deps);
  payLinkRoutes(app, deps);
  billingDocumentRoutes(app, deps);
}
