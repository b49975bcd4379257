import { randomBytes } from 'node:crypto';
import type express from 'express';
import { Types } from 'mongoose';
import { type BillingDeps, servicesOf } from '../context';
import { findTenant } from '../../../core/tenancy/registry';
import { billingServiceContext } from '../platform/service-context.service';
import { platformPayments } from '../platform/order.service';
import type { PlatformOrderDoc } from '../platform/order.model';
import { saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import { orderFor } from './invoice.service';
import { verifyPayLink } from './pay-link.service';
import { checkoutPage, messagePage } from './pay-page.service';
import { now } from './subscription.service';

/**
 * GET /pay/<token> — the pay link of a dunning e-mail, for an owner who cannot or
 * need not log in (a suspended tenant's users cannot). The signed token names one
 * invoice of one tenant and an expiry; the page opens (or reuses) that invoice's
 * platform payment order (`orderFor`, one per invoice) and launches the provider's
 * checkout. The signed webhook settles it, which reactivates a suspended tenant.
 * Nothing else is reachable with the link; a refusal changes nothing.
 */
export function payLinkRoutes(app: express.Express, deps: BillingDeps): void {
  app.get('/pay/:token', async (req, res) => {
    // The token is in the URL: never sent on as a referrer (the provider's scripts), never cached.
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    const send = (status: number, title: string, text: string) =>
      void res
        .status(status)
        .type('html')
        .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .send(messagePage(title, text));
    try {
      const link = verifyPayLink(deps.config, String(req.params.token), now({ services: servicesOf(deps) }));
      if (link === 'invalid')
        return send(400, 'Invalid payment link', 'This payment link is not valid. Use the link of your latest reminder, or pay from the billing page.');
      if (link === 'expired')
        return send(410, 'Payment link expired', 'This payment link has expired. The next reminder carries a new one; you can also pay from the billing page.');
      const tenant = await findTenant(deps.db.platform(), { id: link.tenantId });
      const inv =
        tenant &&
        (await saasInvoiceModel(deps.db.platform())
          .findOne({ _id: new Types.ObjectId(link.invoiceId), tenantId: link.tenantId })
          .lean<SaasInvoiceDoc>());
      if (!tenant || !inv) return send(404, 'Invoice not found', 'This invoice does not exist.');
      if (inv.status === 'PAID') return send(200, `Invoice ${inv.number} is paid`, 'Thank you: nothing is owed on this invoice.');
      if (inv.status !== 'OPEN') return send(410, `Invoice ${inv.number} is not due`, 'This invoice is no longer owed; nothing to pay.');
      const order: PlatformOrderDoc = await orderFor(billingServiceContext(deps, { id: link.tenantId, slug: tenant.slug }), inv);
      if (order.status === 'paid') return send(200, `Invoice ${inv.number} is paid`, 'Thank you: the payment was received and is being applied.');
      if (order.status !== 'created' || !order.checkout)
        return send(503, 'Payment unavailable', 'The payment page cannot be opened right now; try again in a few minutes.');
      const nonce = randomBytes(16).toString('base64');
      const cashfreeMode = platformPayments({ services: servicesOf(deps) }).cashfree?.baseUrl.includes('sandbox') ? 'sandbox' : 'production';
      res
        .status(200)
        .type('html')
        .set(
          'content-security-policy',
          [
            "default-src 'none'",
            "style-src 'unsafe-inline' https:",
            `script-src 'nonce-${nonce}' https://checkout.razorpay.com https://sdk.cashfree.com`,
            'frame-src https://api.razorpay.com https://*.cashfree.com',
            'connect-src https://*.razorpay.com https://*.cashfree.com',
            'img-src https: data:',
            "frame-ancestors 'none'",
          ].join('; '),
        )
        .send(checkoutPage(inv, order, tenant.name, nonce, cashfreeMode));
    } catch (err) {
      deps.log.error({ err }, 'pay link failed');
      send(503, 'Payment unavailable', 'The payment page cannot be opened right now; try again in a few minutes.');
    }
  });
}
