import type { Connection } from 'mongoose';
import { paymentModel } from './payment.model';
import { PaymentStatus, type PaymentMethod } from './payment.type';

export enum RevenueGroupBy {
  LIBRARY = 'library',
  METHOD = 'method',
  MONTH = 'month',
}

export interface ReportRow {
  libraryId?: string;
  method?: PaymentMethod;
  month?: string;
  /** Paise, net of refunds. */
  total: number;
  count: number;
}

interface Group {
  _id: { libraryId: { toHexString(): string }; method: string; month: string; amount: number; refunded?: number | null };
  count: number;
}

/**
 * Net revenue (amount − refunded) of payments not fully refunded, grouped by any
 * of library, method and month, sorted by month, library, method. One
 * aggregation: grouped by the amounts too with a single count, folded here
 * (FerretDB 1.x computes only the first accumulator of a $group).
 */
export async function revenueReport(
  conn: Connection,
  groupBy: RevenueGroupBy[],
  fromMonth?: string,
  toMonth?: string,
  /** The caller's branch scope (libraryScopeFilter). */
  scope: Record<string, unknown> = {},
): Promise<ReportRow[]> {
  const match: Record<string, unknown> = { status: { $in: [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED] }, ...scope };
  const month: Record<string, string> = {};
  if (fromMonth) month.$gte = fromMonth;
  if (toMonth) month.$lte = toMonth;
  if (fromMonth || toMonth) match.month = month;
  const groups = await paymentModel(conn).aggregate<Group>([
    { $match: match },
    {
      $group: {
        _id: { libraryId: '$libraryId', method: '$method', month: '$month', amount: '$amount', refunded: '$refundedAmount' },
        count: { $sum: 1 },
      },
    },
  ]);
  const by = new Set(groupBy);
  const rows = new Map<string, ReportRow>();
  for (const g of groups) {
    const key: ReportRow = { total: 0, count: 0 };
    if (by.has(RevenueGroupBy.MONTH)) key.month = g._id.month;
    if (by.has(RevenueGroupBy.LIBRARY)) key.libraryId = g._id.libraryId.toHexString();
    if (by.has(RevenueGroupBy.METHOD)) key.method = g._id.method as PaymentMethod;
    const id = `${key.month ?? ''}|${key.libraryId ?? ''}|${key.method ?? ''}`;
    const row = rows.get(id) ?? key;
    row.total += (g._id.amount - (g._id.refunded ?? 0)) * g.count;
    row.count += g.count;
    rows.set(id, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
