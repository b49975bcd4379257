import type { DocumentRenderer } from '../../../core/documents/routes';
import { inr, usePdf } from '../../../core/documents/pdf';
import { notFound } from '../../../core/errors';
import { tryParseId } from '../../../core/ids';
import type { BillingServices } from '../context';
import { paymentModel, type PaymentDoc } from '../fees/payment.model';
import { toPayment } from '../fees/payment.service';
import { studentName } from '../fees/student.client';
import { PaymentDocumentKind } from './document.type';
import { istDate, METHOD_LABEL } from './labels.service';

/**
 * A payment's tax invoice or receipt as PDF, from the same figures the API's `Payment.invoice`
 * answers (fees/payment.service.ts toPayment → invoicing/invoice-tax.service.ts invoiceView):
 * the seller details and GST frozen on the invoice when it was issued. A refund is shown.
 */
export const paymentPdf: DocumentRenderer<BillingServices> = {
  formats: ['PDF'],
  render: async (ctx, { params, out }) => {
    const id = typeof params.paymentId === 'string' ? tryParseId(params.paymentId) : null;
    const doc = id
      ? await paymentModel(await ctx.tenantDb())
          .findById(id)
          .lean<PaymentDoc>()
      : null;
    if (!doc) throw notFound('Payment');
    const p = toPayment(doc);
    const i = p.invoice;
    const tenant = await ctx.tenant();
    // The name is a nicety: the document still renders (with the id) if the student service can't say.
    const name = (await studentName(ctx, p.student.id)) ?? p.student.id;
    const receipt = params.kind === PaymentDocumentKind.RECEIPT;
    const pdf = usePdf({
      out,
      branding: { name: i.sellerLegalName ?? tenant.name, address: i.sellerAddress, gstin: i.sellerGstin ?? 'Unregistered' },
      title: receipt ? 'Payment Receipt' : 'Tax Invoice',
      subtitle: receipt ? `Against invoice ${i.number}` : i.number,
      footer: receipt ? 'Computer-generated receipt; no signature required.' : 'Computer-generated invoice; no signature required.',
    });
    const method = `${METHOD_LABEL[p.method] ?? p.method}${p.reference ? ` (${p.reference})` : ''}`;
    if (receipt) {
      pdf.fields([
        ['Receipt date', istDate(p.paidAt)],
        ['Invoice number', i.number],
        ['Received from', name],
        ['Payment', method],
      ]);
      const t = pdf.table([
        { header: 'Description', width: 3 },
        { header: 'Amount', width: 1, align: 'right' },
      ]);
      t.row(['Amount received (GST included)', inr(p.amount)], { bold: true });
      if (p.refundedAmount > 0) {
        t.row(['Refunded', inr(p.refundedAmount)]);
        t.row(['Net received', inr(p.amount - p.refundedAmount)], { bold: true });
      }
    } else {
      pdf.fields([
        ['Invoice number', i.number],
        ['Invoice date', istDate(i.issuedAt)],
        ['Place of supply', i.placeOfSupply ?? '-'],
        ['Billed to', name],
        ['Payment', method],
      ]);
      const items = pdf.table([
        { header: 'Description', width: 3 },
        { header: 'HSN/SAC', width: 1 },
        { header: 'Amount', width: 1.3, align: 'right' },
      ]);
      items.row(['Library / coaching services', i.hsnSac, inr(i.taxableValue)]);
      pdf.gap();
      const t = pdf.table([
        { header: 'Summary', width: 3 },
        { header: 'Amount', width: 1, align: 'right' },
      ]);
      t.row(['Taxable value', inr(i.taxableValue)]);
      if (i.interState) t.row([`IGST @ ${i.gstRatePercent}%`, inr(i.igst)]);
      else {
        t.row([`CGST @ ${i.gstRatePercent / 2}%`, inr(i.cgst)]);
        t.row([`SGST @ ${i.gstRatePercent / 2}%`, inr(i.sgst)]);
      }
      t.row(['Total (GST included)', inr(i.amount)], { bold: true });
      if (p.refundedAmount > 0) t.row(['Refunded', inr(p.refundedAmount)]);
    }
    pdf.gap();
    pdf.text(i.amountInWords, { bold: true });
    if (p.refundedAmount > 0)
      pdf.text(`Status: ${p.status === 'refunded' ? 'Refunded' : 'Partially refunded'} (${inr(p.refundedAmount)})`, { color: '#a00000' });
    await pdf.end();
  },
};
