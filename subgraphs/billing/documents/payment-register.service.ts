import { Types } from 'mongoose';
import { inBatches } from '../../../core/documents/batches';
import type { DocumentRenderer } from '../../../core/documents/routes';
import { libraryFilter } from '../../../core/documents/scope';
import { useTabular, type TabularColumn } from '../../../core/documents/tabular';
import type { BillingServices } from '../context';
import { paymentModel, type PaymentDoc } from '../fees/payment.model';
import { studentNames } from '../fees/student.client';
import { libraryNames } from '../fees/tenant.client';
import { billingBranding, monthLabel } from './branding.service';
import { METHOD_LABEL } from './labels.service';

const ROWS: TabularColumn[] = [
  { header: 'Date', type: 'date', width: 1.05 },
  { header: 'Invoice', type: 'text', width: 1.9 },
  { header: 'Student', type: 'text', width: 1.8 },
  { header: 'Library', type: 'text', width: 1.5 },
  { header: 'Method', type: 'text', width: 1.1 },
  { header: 'Reference', type: 'text', width: 1.2 },
  { header: 'Amount', type: 'money', width: 1.3 },
  { header: 'Refunded', type: 'money', width: 1.2 },
];
const TOTALS: TabularColumn[] = [
  { header: 'Method', type: 'text', width: 2 },
  { header: 'Payments', type: 'integer', width: 1 },
  { header: 'Amount', type: 'money', width: 1.5 },
  { header: 'Refunded', type: 'money', width: 1.5 },
  { header: 'Net', type: 'money', width: 1.5 },
];

interface MethodTotal {
  count: number;
  amount: number;
  refunded: number;
}

/**
 * Every payment of a month (the stored IST `month`), oldest first, in the libraries signed
 * into the link; then totals by method and overall. Streamed: payments are read with a
 * cursor and written in batches of 200 (one name lookup per batch).
 */
export const paymentRegister: DocumentRenderer<BillingServices> = {
  formats: ['PDF', 'XLSX'],
  render: async (ctx, { params, format, out, signal }) => {
    const month = String(params.month);
    const conn = await ctx.tenantDb();
    const ids = Array.isArray(params.libraryIds) ? (params.libraryIds as string[]) : null;
    const [branding, libraries] = await Promise.all([billingBranding(ctx), ids?.length === 1 ? libraryNames(ctx, ids) : Promise.resolve(null)]);
    const doc = useTabular({
      format,
      out,
      branding,
      title: 'Payment register',
      subtitle: `${monthLabel(month)} · ${libraries ? libraries.get(ids![0]) || 'One library' : ids ? 'Your libraries' : 'All libraries'}`,
      layout: 'landscape',
    });
    const totals = new Map<string, MethodTotal>();
    const rows = doc.section(`Payments ${month}`, ROWS);
    const cursor = paymentModel(conn)
      .find({ month, ...libraryFilter(params.libraryIds, 'libraryId', (id) => new Types.ObjectId(id)) })
      .sort({ paidAt: 1, _id: 1 })
      .lean<PaymentDoc>()
      .cursor();
    await inBatches(
      cursor,
      200,
      async (batch) => {
        const [names, libs] = await Promise.all([
          studentNames(
            ctx,
            batch.map((p) => p.studentId.toHexString()),
          ),
          libraryNames(ctx, [...new Set(batch.map((p) => p.libraryId.toHexString()))]),
        ]);
        for (const p of batch) {
          const refunded = p.refundedAmount ?? 0;
          const t = totals.get(p.method) ?? { count: 0, amount: 0, refunded: 0 };
          totals.set(p.method, { count: t.count + 1, amount: t.amount + p.amount, refunded: t.refunded + refunded });
          rows.row([
            p.paidAt,
            p.invoice.number,
            names.get(p.studentId.toHexString()) || p.studentId.toHexString(),
            libs.get(p.libraryId.toHexString()) ?? '',
            METHOD_LABEL[p.method] ?? p.method,
            p.reference ?? '',
            p.amount,
            refunded,
          ]);
        }
      },
      signal,
    );
    const byMethod = doc.section('Totals by method', TOTALS);
    const all: MethodTotal = { count: 0, amount: 0, refunded: 0 };
    for (const [method, t] of [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      byMethod.row([METHOD_LABEL[method] ?? method, t.count, t.amount, t.refunded, t.amount - t.refunded]);
      all.count += t.count;
      all.amount += t.amount;
      all.refunded += t.refunded;
    }
    byMethod.row(['Total', all.count, all.amount, all.refunded, all.amount - all.refunded], { bold: true });
    await doc.end();
  },
};
