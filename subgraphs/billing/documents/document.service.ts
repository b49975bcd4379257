import { issueDocumentLink } from '../../../core/documents/issue';
import { documentLibraries } from '../../../core/documents/scope';
import { notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import type { BillingContext } from '../context';
import { paymentLoader } from '../fees/payment.loader';
import type { PaymentDocumentArgs, RegisterDocumentArgs } from './document.input';
import { PaymentDocumentKind } from './document.type';

/** Renderer names of billing's documents (billing/routes.ts mounts them). */
export const BILLING_DOCUMENTS = { payment: 'payment', paymentRegister: 'payment-register', duesRegister: 'dues-register' } as const;

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

/**
 * The link to a month's payment or dues register: the library asked for must be in the
 * caller's branch scope (FORBIDDEN), and without one a scoped caller's libraries are signed
 * into the link, so the register covers exactly what the caller may see.
 */
export async function issueRegisterDocument(ctx: BillingContext, kind: 'payment-register' | 'dues-register', args: RegisterDocumentArgs) {
  const libraryIds = documentLibraries(ctx, args.libraryId);
  const ext = args.format === 'XLSX' ? 'xlsx' : 'pdf';
  const suffix = args.libraryId ? `-${args.libraryId.slice(-6)}` : '';
  return issueDocumentLink(ctx, {
    kind,
    params: { month: args.month, libraryIds },
    format: args.format,
    fileName: `${kind}-${args.month}${suffix}.${ext}`,
  });
}
