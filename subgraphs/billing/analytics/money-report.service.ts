import { trusted, type Connection } from 'mongoose';
import type { BillingContext } from '../context';
import { badInput } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, libraryScope } from '../../../core/scope/library-scope';
import { monthsIn } from '../../../core/store/period-rollup';
import { feePlanModel } from '../memberships/plan.model';
import type { PaymentMethod } from '../fees/payment.type';
import { firstMoneyMonth, moneyMonths, type MoneyRow } from './money-rollup.service';
import type { CollectionsArgs, MoneyRangeArgs, RevenueBreakdownArgs } from './money-report.input';
import { MoneyGroupBy, type CollectionsRow, type RevenueBreakdownRow } from './money-report.type';

/** The longest range one report covers (a month's rollup is one document: 36 reads at most). */
const MAX_MONTHS = 36;

interface Range {
  conn: Connection;
  now: Date;
  /** Which rows the caller may see: the library asked for, its branch scope, or all. */
  visible: (row: MoneyRow) => boolean;
}

async function rangeOf(ctx: BillingContext, args: MoneyRangeArgs): Promise<Range> {
  if (monthsIn(args.fromMonth, args.toMonth).length > MAX_MONTHS) throw badInput('toMonth', `the range must be at most ${MAX_MONTHS} months`);
  let allowed: readonly string[] | null = libraryScope(ctx);
  if (args.libraryId) {
    const id = parseId(args.libraryId, 'libraryId').toHexString();
    assertLibraryInScope(ctx, id);
    allowed = [id];
  }
  const only = allowed ? new Set(allowed) : null;
  return { conn: await ctx.tenantDb(), now: new Date(), visible: (r) => !only || (r.libraryId !== null && only.has(r.libraryId)) };
}

/**
 * Dues billed against money collected per month (and library): sums of the dues
 * ledger's facts, closed months from their stored rollup. `outstanding` is the
 * running sum of every change of the amount due since the first fact, so it needs
 * the months before `fromMonth` too (one stored document each).
 */
export async function collectionsReport(ctx: BillingContext, args: CollectionsArgs): Promise<CollectionsRow[]> {
  const { conn, now, visible } = await rangeOf(ctx, args);
  const first = await firstMoneyMonth(conn);
  const start = first && first < args.fromMonth ? first : args.fromMonth;
  const months = await moneyMonths(conn, start, args.toMonth, now);
  const outstanding = new Map<string, number>();
  const out: CollectionsRow[] = [];
  for (const [month, rows] of months) {
    const sums = new Map<string, CollectionsRow>();
    for (const r of rows.filter(visible)) {
      const key = args.byLibrary ? (r.libraryId ?? '') : '';
      outstanding.set(key, (outstanding.get(key) ?? 0) + r.dueDelta);
      const s = sums.get(key) ?? emptyCollections(month, args.byLibrary ? r.libraryId : null);
      s.billed += r.billed;
      s.received += r.received;
      s.refunded += r.refunded;
      s.payments += r.payments;
      s.refunds += r.refunds;
      sums.set(key, s);
    }
    if (month < args.fromMonth) continue;
    // Every library with money owed or moved so far has a row, even in a quiet month.
    const keys = args.byLibrary ? [...new Set([...outstanding.keys(), ...sums.keys()])].sort() : [''];
    for (const key of keys) {
      const s = sums.get(key) ?? emptyCollections(month, key || null);
      s.collected = s.received - s.refunded;
      s.collectionRate = s.billed > 0 ? s.collected / s.billed : undefined;
      s.outstanding = outstanding.get(key) ?? 0;
      out.push(s);
    }
  }
  return out;
}

const emptyCollections = (month: string, libraryId: string | null): CollectionsRow => ({
  month,
  library: libraryId ? { id: libraryId } : undefined,
  billed: 0,
  received: 0,
  refunded: 0,
  collected: 0,
  outstanding: 0,
  payments: 0,
  refunds: 0,
});

/** Money received and refunded per month, library, fee plan and method (any combination), from the same rollups. */
export async function revenueBreakdown(ctx: BillingContext, args: RevenueBreakdownArgs): Promise<RevenueBreakdownRow[]> {
  const { conn, now, visible } = await rangeOf(ctx, args);
  const by = new Set(args.groupBy);
  const months = await moneyMonths(conn, args.fromMonth, args.toMonth, now);
  const groups = new Map<string, RevenueBreakdownRow>();
  for (const [month, rows] of months) {
    for (const r of rows.filter(visible)) {
      if (!r.payments && !r.refunds) continue;
      const g: RevenueBreakdownRow = { received: 0, refunded: 0, net: 0, payments: 0, refunds: 0 };
      if (by.has(MoneyGroupBy.MONTH)) g.month = month;
      if (by.has(MoneyGroupBy.LIBRARY) && r.libraryId) g.library = { id: r.libraryId };
      if (by.has(MoneyGroupBy.PLAN)) g.planId = r.planId ?? undefined;
      if (by.has(MoneyGroupBy.METHOD)) g.method = (r.method ?? undefined) as PaymentMethod | undefined;
      const key = `${g.month ?? ''}|${g.library?.id ?? ''}|${g.planId ?? ''}|${g.method ?? ''}`;
      const row = groups.get(key) ?? g;
      row.received += r.received;
      row.refunded += r.refunded;
      row.net = row.received - row.refunded;
      row.payments += r.payments;
      row.refunds += r.refunds;
      groups.set(key, row);
    }
  }
  const rows = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const planIds = [...new Set(rows.flatMap((r) => (r.planId ? [r.planId] : [])))];
  if (planIds.length) {
    const plans = await feePlanModel(conn)
      .find({ _id: trusted({ $in: planIds.map((id) => parseId(id, 'planId')) }) }, { name: 1 })
      .lean<{ _id: { toHexString(): string }; name: string }[]>();
    const names = new Map(plans.map((p) => [p._id.toHexString(), p.name]));
    for (const r of rows) if (r.planId) r.planName = names.get(r.planId);
  }
  return rows;
}
