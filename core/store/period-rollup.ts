import { Schema, trusted, type Model } from 'mongoose';
import { addDays, addMonths, istDay, istMidnight } from '../tenant-time';
import { isOnlyDuplicateKeys } from './duplicate-key';

/**
 * Closed-period rollups for analytics over facts stamped at write time with
 * their Asia/Kolkata `day`. A day whose end lies more than `graceMs` in the past
 * can receive no new facts, so its sums never change: they are computed once and
 * stored under a unique `_id` ('d:<day>', then 'm:<month>' once the whole month is
 * closed). Two requests building the same period compute the same rows; the
 * second insert fails on the `_id` and reads the stored one (no transactions, no
 * conditional updates). Open days (today, and yesterday within the grace) are
 * summed live from the facts. A year is then ≤ 12 month + ≤ 31 day documents, read
 * by `_id` (FerretDB 1.x pushes little else down to SQLite: a filter on another
 * field, `$in` or a range scans the whole collection), plus the open days' facts.
 * Facts live in a small collection of their own: `prune` removes a day's facts
 * once its sums are stored, so the live read scans only the open days.
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
  /** The immutable sums ('d:<day>', 'm:<month>'). */
  store: Model<RollupDoc>;
  /**
   * Copies of them by group (see `stored`), in a collection of their own: FerretDB's
   * point read scans its collection, so the hot reads touch only a few documents.
   */
  checkpoints: Model<RollupDoc>;
  /** 'open': keep day checkpoints only for months not yet closed (reports by month only); default 'all'. */
  dayCheckpoints?: 'all' | 'open';
  /** The facts of these days by day, one row each or already summed (one read: FerretDB scans a facts collection once, however many days). */
  facts(days: string[]): Promise<Map<string, R[]>>;
  /** Removes the facts of closed days whose sums are stored (optional). */
  prune?(days: string[]): Promise<void>;
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

export const lastDayOf = (month: string) => addDays(addMonths(`${month}-01`, 1), -1);

export const dayClosed = (p: { graceMs?: number }, day: string, now: Date) => istMidnight(addDays(day, 1)) + (p.graceMs ?? DEFAULT_GRACE_MS) <= now.getTime();
export const monthClosed = (p: { graceMs?: number }, month: string, now: Date) => dayClosed(p, lastDayOf(month), now);

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

export interface Built<R> {
  _id: string;
  rows: R[];
  builtAt: Date;
}

/**
 * The documents a rollup stores for these facts (per day): one per closed day and
 * one per closed month whose every day is given. The app builds them on first use;
 * a bulk loader (the analytics benchmark) writes the same documents directly.
 */
export function closedRollups<R>(p: Pick<PeriodRollup<R>, 'keyOf' | 'add' | 'graceMs'>, factsByDay: Map<string, R[]>, now: Date): Built<R>[] {
  const out: Built<R>[] = [];
  const months = new Map<string, R[]>();
  for (const [day, facts] of factsByDay) {
    if (!dayClosed(p, day, now)) continue;
    const rows = sumRows(p, facts);
    out.push({ _id: `d:${day}`, rows, builtAt: now });
    months.set(day.slice(0, 7), [...(months.get(day.slice(0, 7)) ?? []), ...rows]);
  }
  for (const [month, rows] of months) {
    const complete = daysIn(`${month}-01`, lastDayOf(month)).every((d) => factsByDay.has(d));
    if (complete && monthClosed(p, month, now)) out.push({ _id: `m:${month}`, rows: sumRows(p, rows), builtAt: now });
  }
  return out;
}

/** Stored sums by _id (point reads, in parallel). */
async function byIds<R>(store: Model<RollupDoc>, ids: string[]): Promise<Map<string, R[]>> {
  const docs = await Promise.all(ids.map((id) => store.findById(id).lean<RollupDoc>().exec()));
  return new Map(docs.flatMap((d) => (d ? [[d._id, d.rows as R[]] as const] : [])));
}

/** The checkpoint of a group: 'c:d:<YYYY-MM>' (the month's closed days), 'c:m:<YYYY>' (the year's closed months). */
const checkpointOf = (id: string) => (id.startsWith('d:') ? `c:d:${id.slice(2, 9)}` : `c:m:${id.slice(2, 6)}`);

/**
 * Stored sums of these periods. Each database command costs milliseconds on FerretDB,
 * so sums are read through a checkpoint per month (its days) or year (its months): one
 * document holding copies of the group's stored sums, then point reads for the periods
 * it lacks, which are added to it. A checkpoint is only a copy of immutable documents:
 * concurrent rewrites each hold correct sums, and whatever it lacks is read by _id.
 */
async function stored<R>(p: PeriodRollup<R>, ids: string[]): Promise<Map<string, R[]>> {
  const groups = [...new Set(ids.map(checkpointOf))];
  const points = await byIds<{ id: string; rows: R[] }>(p.checkpoints, groups);
  const out = new Map<string, R[]>();
  for (const copies of points.values()) for (const c of copies) out.set(c.id, c.rows);
  const missing = ids.filter((id) => !out.has(id));
  if (!missing.length) return out;
  const found = await byIds<R>(p.store, missing);
  for (const [id, rows] of found) out.set(id, rows);
  if (found.size) await saveCheckpoints(p, out);
  return out;
}

/** Rewrites the checkpoints of these stored sums' groups with them. */
async function saveCheckpoints<R>(p: PeriodRollup<R>, sums: Map<string, R[]>, now = new Date()) {
  for (const g of new Set([...sums.keys()].map(checkpointOf))) {
    if (p.dayCheckpoints === 'open' && g.startsWith('c:d:') && monthClosed(p, g.slice(4), now)) continue;
    const rows = [...sums.entries()].filter(([id]) => checkpointOf(id) === g).map(([id, r]) => ({ id, rows: r }));
    if (rows.length) await p.checkpoints.updateOne({ _id: g }, { $set: { rows, builtAt: now } }, { upsert: true });
  }
}

/** Stores sums once; where a concurrent builder stored first, its (identical) sums are returned. */
async function storeOnce<R>(p: PeriodRollup<R>, docs: Built<R>[]): Promise<Map<string, R[]>> {
  const out = new Map(docs.map((d) => [d._id, d.rows]));
  if (!docs.length) return out;
  try {
    await p.store.insertMany(docs, { ordered: false });
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err;
    for (const [id, rows] of await byIds<R>(p.store, [...out.keys()])) out.set(id, rows);
  }
  return out;
}

/** Sums per day for days [fromDay, toDay]: stored rollups for closed days (built on first use), live facts for open ones. */
export async function rollupDays<R>(p: PeriodRollup<R>, fromDay: string, toDay: string, now: Date): Promise<Map<string, R[]>> {
  const today = istDay(now);
  const days = daysIn(fromDay, toDay < today ? toDay : today);
  const closed = days.filter((d) => dayClosed(p, d, now));
  const have = await stored(
    p,
    closed.map((d) => `d:${d}`),
  );
  const toSum = days.filter((d) => !have.has(`d:${d}`));
  const facts = toSum.length ? await p.facts(toSum) : new Map<string, R[]>();
  const live = new Map<string, R[]>();
  const built: Built<R>[] = [];
  for (const d of toSum) {
    const rows = sumRows(p, facts.get(d) ?? []);
    if (dayClosed(p, d, now)) built.push({ _id: `d:${d}`, rows, builtAt: now });
    else live.set(`d:${d}`, rows);
  }
  if (built.length) {
    for (const [id, rows] of await storeOnce(p, built)) have.set(id, rows);
    await saveCheckpoints(p, have, now);
    if (p.prune) await p.prune(built.map((b) => b._id.slice(2)));
  }
  return new Map(days.map((d) => [d, have.get(`d:${d}`) ?? live.get(`d:${d}`) ?? []]));
}

/** Sums per month for months [fromMonth, toMonth]: a stored rollup per closed month, its days' sums otherwise. */
export async function rollupMonths<R>(p: PeriodRollup<R>, fromMonth: string, toMonth: string, now: Date): Promise<Map<string, R[]>> {
  const months = monthsIn(fromMonth, toMonth);
  const have = await stored(
    p,
    months.filter((m) => monthClosed(p, m, now)).map((m) => `m:${m}`),
  );
  const live = new Map<string, R[]>();
  const built: Built<R>[] = [];
  const toSum = months.filter((x) => !have.has(`m:${x}`));
  // The days of every month to sum, in one pass: stored day sums (built if missing), today's facts live.
  const days = toSum.length ? await rollupDays(p, `${toSum[0]}-01`, lastDayOf(toSum[toSum.length - 1]!), now) : new Map<string, R[]>();
  for (const m of toSum) {
    const rows = sumRows(
      p,
      [...days.entries()].filter(([d]) => d.startsWith(m)).flatMap(([, r]) => r),
    );
    if (monthClosed(p, m, now)) built.push({ _id: `m:${m}`, rows, builtAt: now });
    else live.set(`m:${m}`, rows);
  }
  if (built.length) {
    for (const [id, rows] of await storeOnce(p, built)) have.set(id, rows);
    await saveCheckpoints(p, have, now);
    // Reports by month only: a closed month's day copies are not read again.
    if (p.dayCheckpoints === 'open') await Promise.all(built.map((b) => p.checkpoints.deleteOne({ _id: `c:d:${b._id.slice(2)}` })));
  }
  return new Map(months.map((m) => [m, have.get(`m:${m}`) ?? live.get(`m:${m}`) ?? []]));
}

/**
 * Restates closed periods whose facts were not there when their sums were stored (a
 * backfill of history from before the facts existed): replaces the sums and drops the
 * checkpoints that copy them. Never for live writes: a closed period gets no new facts.
 */
export async function restateClosed<R>(p: Pick<PeriodRollup<R>, 'store' | 'checkpoints'>, docs: Built<R>[]): Promise<void> {
  for (const d of docs) await p.store.replaceOne({ _id: d._id }, d, { upsert: true });
  for (const g of new Set(docs.map((d) => checkpointOf(d._id)))) await p.checkpoints.deleteOne({ _id: g });
}

/** `{ day: { $in: days } }`: the facts of some days (a filter FerretDB scans: a small facts collection). */
export const dayIn = (days: string[]) => ({ day: trusted({ $in: days }) });
