import type express from 'express';
import type { BillingDeps } from '../context';
import { tryParseId } from '../../../core/ids';
import { studentName } from '../fees/student.client';
import { renderInvoiceHtml } from './invoice-html.service';
import { paymentModel, type PaymentDoc } from '../fees/payment.model';
import { toPayment } from '../fees/payment.service';
import { authedRoute } from './http-auth.service';
import { libraryScopeFilter } from '../../../core/scope/library-scope';

/**
 * GET /invoices/<paymentId>.html — the printable invoice, for the same Bearer
 * token as GraphQL, permission payments:read and the payments module. The payment is looked up in the
 * token's own tenant database and branch scope, so another tenant's (or library's) id is not found.
 */
export function invoiceRoutes(app: express.Express, deps: BillingDeps): void {
  app.get(
    '/invoices/:file',
    authedRoute(
      deps,
      'payments:read',
      async (ctx, req, res) => {
        const m = /^([0-9a-f]{24})\.html$/i.exec(String(req.params.file));
        const id = m ? tryParseId(m[1]) : null;
        const tenant = await ctx.tenant();
        const doc = id
          ? await paymentModel(await ctx.tenantDb())
              .findOne({ _id: id, ...libraryScopeFilter(ctx, 'libraryId', tryParseId) })
              .lean<PaymentDoc>()
          : null;
        if (!doc) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Invoice not found' } });
        const p = toPayment(doc);
        // The name is a nicety: the invoice still renders (with the id) if the student service can't say.
        const name = await studentName(ctx, p.student.id);
        res
          .status(200)
          .type('html')
          .set({
            'cache-control': 'private, no-store',
            'x-content-type-options': 'nosniff',
            'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'none'",
          })
          .send(
            renderInvoiceHtml({
              invoice: p.invoice,
              tenantName: tenant.name,
              method: p.method,
              reference: p.reference,
              studentId: p.student.id,
              studentName: name ?? undefined,
              refundedAmount: p.refundedAmount,
            }),
          );
      },
      ['payments'],
    ),
  );
}
