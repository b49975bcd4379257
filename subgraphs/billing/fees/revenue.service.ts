import type { BillingContext } from '../context';
import { tryParseId } from '../../../core/ids';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { paymentModel } from './payment.model';
import { PaymentStatus } from './payment.type';
import type { RevenueRow } from './revenue.type';

interface AmountGroup {
  _id: { libraryId: { toHexString(): string }; month: string; amount: number };
  count: number;
}

/** Paid revenue per library and month (caller's branch scope), by month then library. */
export async function revenueSummary(ctx: BillingContext, fromMonth?: string | null, toMonth?: string | null): Promise<RevenueRow[]> {
  const month: Record<string, string> = {};
  if (fromMonth) month.$gte = fromMonth;
  if (toMonth) month.$lte = toMonth;
  // Partially refunded payments are still (mostly) revenue; fully refunded ones are not.
  const match: Record<string, unknown> = { status: { $in: [PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED] } };
  if (fromMonth || toMonth) match.month = month;
  Object.assign(match, libraryScopeFilter(ctx, 'libraryId', tryParseId));
  // FerretDB 1.x computes only the FIRST accumulator of a $group (FerretDB#4616),
  // so we group by amount too with a single count and fold total/count here:
  // one query, correct on MongoDB and FerretDB alike.
  const groups = await paymentModel(await ctx.tenantDb()).aggregate<AmountGroup>([
    { $match: match },
    { $group: { _id: { libraryId: '$libraryId', month: '$month', amount: '$amount' }, count: { $sum: 1 } } },
  ]);
  const rows = new Map<string, RevenueRow>();
  for (const g of groups) {
    const libraryId = g._id.libraryId.toHexString();
    const key = `${g._id.month}|${libraryId}`;
    const row = rows.get(key) ?? { library: { id: libraryId }, month: g._id.month, total: 0, count: 0 };
    row.total += g._id.amount * g.count;
    row.count += g.count;
    rows.set(key, row);
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
