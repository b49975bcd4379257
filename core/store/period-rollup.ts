import { Schema, trusted, type Model } from 'mongoose';
import { addDays, addMonths, istDay, istMidnight } from '../tenant-time';
import { isOnlyDuplicateKeys } from './duplicate-key';

/**
 * Closed-period rollups for analytics over append-only facts (ledger entries
 * stamped at write time with their Asia/Kolkata `day`). A day whose end lies
 * more than `graceMs` in the past can receive no new facts, so its sums never
 * change: they are computed once and stored under a unique `_id` ('d:<day>',
 * then 'm:<month>' once the whole month is closed). Two requests building the
 * same period compute the same rows; the second insert fails on the `_id` and
 * is ignored (no transactions, no conditional updates needed). Open days (today,
 * and yesterday within the grace) are summed live from the facts. A year of
 * history is then ≤ 12 month documents + ≤ 31 day documents + today's facts.
 */
export interface RollupDoc {
  _id: string;
  /** The period's sums, one row per key (the shape of the rollup's R). */
  rows: unknown[];
  builtAt: Date;
}

export const rollupSchema = (collection: string) =>
  new Schema<RollupDoc>(
    { _id: { type: String, required: true }, rows: { type: [Schema.Types.Mixed], default: [] }, builtAt: { type: Date, required: true } },
    { collection, versionKey: false, strictQuery: 'throw', minimize: false },
  );

export interface PeriodRollup<R> {
  store: Model<RollupDoc>;
  /** The facts of days [fromDay, toDay] summed per day (days without facts may be absent). */
  facts(fromDay: string, toDay: string): Promise<Map<string, R[]>>;
  /** A row's identity when summing (e.g. 'library|plan|method'). */
  keyOf(row: R): string;
  /** a + b, for rows of the same key. */
  add(a: R, b: R): R;
  /** How long after a day ends a fact stamped with it may still be written (default 15 minutes). */
  graceMs?: number;
}

const DEFAULT_GRACE_MS = 15 * 60_000;

/** Days from..to inclusive ('YYYY-MM-DD'). */
export function daysIn(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  for (let d = fromDay; d <= toDay; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Months from..to inclusive ('YYYY-MM'). */
export function monthsIn(fromMonth: string, toMonth: string): string[] {
  const out: string[] = [];
  for (let m = fromMonth; m <= toMonth; m = addMonths(`${m}-01`, 1).slice(0, 7)) out.push(m);
  return out;
}

const lastDayOf = (month: string) => addDays(addMonths(`${month}-01`, 1), -1);

/** Rows summed by key, in key order. */
export function sumRows<R>(p: Pick<PeriodRollup<R>, 'keyOf' | 'add'>, rows: Iterable<R>): R[] {
  const by = new Map<string, R>();
  for (const r of rows) {
    const k = p.keyOf(r);
    const had = by.get(k);
    by.set(k, had ? p.add(had, r) : { ...r });
  }
  return [...by.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** Stores rollups once: a duplicate `_id` means a concurrent builder stored the same sums. */
async function storeOnce<R>(p: PeriodRollup<R>, docs: { _id: string; rows: R[]; builtAt: Date }[]) {
  if (!docs.length) return;
  try {
    await p.store.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err;
  }
}

async function stored<R>(p: PeriodRollup<R>, ids: string[]): Promise<Map<string, R[]>> {
  if (!ids.length) return new Map();
  const docs = await p.store
    .find({ _id: trusted({ $in: ids }) })
    .lean<RollupDoc[]>()
    .exec();
  return new Map(docs.map((d) => [d._id, d.rows as R[]]));
}

/** Sums per day for days [fromDay, toDay]: stored rollups for closed days (built on first use), live facts for open ones. */
export async function rollupDays<R>(p: PeriodRollup<R>, fromDay: string, toDay: string, now: Date): Promise<Map<string, R[]>> {
  const grace = p.graceMs ?? DEFAULT_GRACE_MS;
  const today = istDay(now);
  const days = daysIn(fromDay, toDay < today ? toDay : today);
  const closed = days.filter((d) => istMidnight(addDays(d, 1)) + grace <= now.getTime());
  const open = days.filter((d) => !closed.includes(d));
  const have = await stored(
    p,
    closed.map((d) => `d:${d}`),
  );
  const out = new Map<string, R[]>();
  const missing = closed.filter((d) => !have.has(`d:${d}`));
  if (missing.length) {
    const built = await p.facts(missing[0]!, missing[missing.length - 1]!);
    const docs = missing.map((d) => ({ _id: `d:${d}`, rows: sumRows(p, built.get(d) ?? []), builtAt: now }));
    await storeOnce(p, docs);
    for (const d of docs) have.set(d._id, d.rows);
  }
  for (const d of closed) out.set(d, have.get(`d:${d}`) ?? []);
  if (open.length) {
    const live = await p.facts(open[0]!, open[open.length - 1]!);
    for (const d of open) out.set(d, sumRows(p, live.get(d) ?? []));
  }
  return out;
}

/** Sums per month for months [fromMonth, toMonth]: a stored rollup per closed month, its days' sums otherwise. */
export async function rollupMonths<R>(p: PeriodRollup<R>, fromMonth: string, toMonth: string, now: Date): Promise<Map<string, R[]>> {
  const grace = p.graceMs ?? DEFAULT_GRACE_MS;
  const months = monthsIn(fromMonth, toMonth);
  const isClosed = (m: string) => istMidnight(addDays(lastDayOf(m), 1)) + grace <= now.getTime();
  const have = await stored(
    p,
    months.filter(isClosed).map((m) => `m:${m}`),
  );
  const out = new Map<string, R[]>();
  const built: { _id: string; rows: R[]; builtAt: Date }[] = [];
  const toBuild = months.filter((m) => !have.has(`m:${m}`));
  for (const m of toBuild) {
    // The month's days: stored day rollups (built if missing), today's facts live.
    const days = await rollupDays(p, `${m}-01`, lastDayOf(m), now);
    const rows = sumRows(p, [...days.values()].flat());
    out.set(m, rows);
    if (isClosed(m)) built.push({ _id: `m:${m}`, rows, builtAt: now });
  }
  await storeOnce(p, built);
  for (const m of months) if (have.has(`m:${m}`)) out.set(m, have.get(`m:${m}`)!);
  return new Map(months.map((m) => [m, out.get(m) ?? []]));
}
