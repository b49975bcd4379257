import { issueDocumentLink } from '../../../core/documents/issue';
import { notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import type { BillingContext } from '../context';
import { paymentLoader } from '../fees/payment.loader';
import type { PaymentDocumentArgs } from './document.input';
import { PaymentDocumentKind } from './document.type';

/** Renderer names of billing's documents (billing/routes.ts mounts them). */
export const BILLING_DOCUMENTS = { payment: 'payment' } as const;

/** File names carry no personal data: the invoice number, or the month. */
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '-');

/**
 * The link to a payment's invoice or receipt: the payment must be visible to the caller
 * (their tenant and branch scope, as `payment(id)` answers), else NOT_FOUND.
 */
export async function issuePaymentDocument(ctx: BillingContext, args: PaymentDocumentArgs) {
  parseId(args.paymentId, 'paymentId');
  const payment = await paymentLoader(ctx).load(args.paymentId);
  if (!payment) throw notFound('Payment');
  const prefix = args.kind === PaymentDocumentKind.RECEIPT ? 'receipt' : 'invoice';
  return issueDocumentLink(ctx, {
    kind: BILLING_DOCUMENTS.payment,
    params: { paymentId: payment.id, kind: args.kind },
    format: 'PDF',
    fileName: `${prefix}-${safeName(payment.invoice.number)}.pdf`,
  });
}
