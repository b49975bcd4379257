import { formatRupees } from './gst.service';

type InvoiceView = ReturnType<typeof import('./invoice-tax.service').invoiceView>;

export const escapeHtml = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const rs = (paise: number) => `₹${formatRupees(paise)}`;
const istDate = (d: Date) => d.toLocaleDateString('en-IN', { timeZone: 'Asia/Kolkata', day: '2-digit', month: 'short', year: 'numeric' });

export interface InvoicePage {
  invoice: InvoiceView;
  tenantName: string;
  method: string;
  reference?: string;
  studentId: string;
  studentName?: string;
  refundedAmount: number;
}

/** A self-contained, printable tax invoice. Every value is escaped. */
export function renderInvoiceHtml(p: InvoicePage): string {
  const i = p.invoice;
  const e = escapeHtml;
  const taxRows = i.interState
    ? `<tr><td>IGST @ ${i.gstRatePercent}%</td><td class="n">${rs(i.igst)}</td></tr>`
    : `<tr><td>CGST @ ${i.gstRatePercent / 2}%</td><td class="n">${rs(i.cgst)}</td></tr>
       <tr><td>SGST @ ${i.gstRatePercent / 2}%</td><td class="n">${rs(i.sgst)}</td></tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tax Invoice ${e(i.number)}</title>
<style>
body{font-family:system-ui,Arial,sans-serif;max-width:760px;margin:24px auto;color:#111}
table{width:100%;border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:6px;text-align:left}
.n{text-align:right}.muted{color:#555}h1{font-size:20px}
@media print{body{margin:0}.noprint{display:none}}
</style></head><body>
<h1>Tax Invoice</h1>
<p><strong>${e(i.sellerLegalName ?? p.tenantName)}</strong><br>${e(i.sellerAddress)}<br>
GSTIN: ${e(i.sellerGstin ?? 'Unregistered')}</p>
<table>
<tr><th>Invoice number</th><td>${e(i.number)}</td><th>Date</th><td>${e(istDate(i.issuedAt))}</td></tr>
<tr><th>Place of supply</th><td>${e(i.placeOfSupply ?? '')}</td><th>Payment</th><td>${e(p.method)}${p.reference ? ` (${e(p.reference)})` : ''}</td></tr>
<tr><th>Student</th><td colspan="3">${e(p.studentName ?? p.studentId)}</td></tr>
</table>
<table>
<tr><th>Description</th><th>HSN/SAC</th><th class="n">Amount</th></tr>
<tr><td>Library / coaching services</td><td>${e(i.hsnSac)}</td><td class="n">${rs(i.taxableValue)}</td></tr>
</table>
<table>
<tr><td>Taxable value</td><td class="n">${rs(i.taxableValue)}</td></tr>
${taxRows}
<tr><th>Total (GST included)</th><th class="n">${rs(i.amount)}</th></tr>
${p.refundedAmount > 0 ? `<tr><td>Refunded</td><td class="n">${rs(p.refundedAmount)}</td></tr>` : ''}
</table>
<p><strong>${e(i.amountInWords)}</strong></p>
<p class="muted">Computer-generated invoice; no signature required.</p>
</body></html>`;
}
