import type { AnyBulkWriteOperation, Connection, Types } from 'mongoose';
import { isOnlyDuplicateKeys, writeErrorsOf } from '../../../core/store/duplicate-key';
import {
  ALL_SCOPE,
  analyticsRollupModel,
  dayKey,
  hourKey,
  lagKey,
  monthKey,
  rollupId,
  weekdayKey,
  type AnalyticsRollupDoc,
  type RollupPart,
} from './analytics.model';
import { localClock, minutesByHour, monthsBetween, weekdayOf, weekStart } from './analytics-time.service';

/** Longest visit counted as presence: a check-out forgotten for days adds at most a day. */
export const MAX_VISIT_MS = 24 * 3_600_000;

/**
 * Increments per rollup document: `docId -> { path -> n }`. The live hooks build one
 * for a single event and $inc it; the rebuild folds a tenant's whole history into one
 * and writes it, so both count through the same functions below.
 */
export class RollupIncrements {
  readonly docs = new Map<string, { scope: string; period: string; inc: Map<string, number> }>();

  add(scopes: readonly string[], period: string, path: string, n = 1, part: RollupPart = ''): void {
    if (!n) return;
    for (const scope of scopes) {
      const id = rollupId(scope, period, part);
      let doc = this.docs.get(id);
      if (!doc) this.docs.set(id, (doc = { scope, period, inc: new Map() }));
      doc.inc.set(path, (doc.inc.get(path) ?? 0) + n);
    }
  }
}

const scopesOf = (libraryId: Types.ObjectId | string) => [ALL_SCOPE, String(libraryId)];
const yearOf = (day: string) => day.slice(0, 4);

/** A student enrolled: new that day and one more in the month's cohort. */
export function countJoined(acc: RollupIncrements, timezone: string, libraryId: Types.ObjectId | string, joinedAt: Date): void {
  const { day } = localClock(timezone, joinedAt);
  const scopes = scopesOf(libraryId);
  acc.add(scopes, yearOf(day), `nd.${monthKey(day)}.${dayKey(day)}`);
  acc.add(scopes, yearOf(day), `nm.${monthKey(day)}`);
}

export interface CheckInFact {
  libraryId: Types.ObjectId | string;
  at: Date;
  /** The student's check-in before this one (students.lastCheckInAt), if any. */
  previous?: Date | null;
  joinedAt?: Date | null;
}

/**
 * A check-in: one more in its hour; and, when it is the student's first of the day,
 * week or month (compared with the previous check-in), one more distinct active
 * student there, the month's first also counting for the student's join cohort.
 */
export function countCheckIn(acc: RollupIncrements, timezone: string, f: CheckInFact): void {
  const scopes = scopesOf(f.libraryId);
  const c = localClock(timezone, f.at);
  const p = f.previous ? localClock(timezone, f.previous) : null;
  const [year, m, h] = [yearOf(c.day), monthKey(c.day), hourKey(c.hour)];
  acc.add(scopes, c.month, `ci.${dayKey(c.day)}.${h}`, 1, '|h');
  acc.add(scopes, year, `cw.${m}.${weekdayKey(c.weekday)}.${h}`, 1, '|w');
  if (p?.day !== c.day) acc.add(scopes, year, `ad.${m}.${dayKey(c.day)}`);
  const week = weekStart(c.day);
  if (!p || weekStart(p.day) !== week) acc.add(scopes, yearOf(week), `aw.${week}`);
  if (p?.month === c.month) return;
  acc.add(scopes, year, `am.${m}`);
  if (!f.joinedAt) return;
  const cohort = localClock(timezone, f.joinedAt).month;
  const k = monthsBetween(cohort, c.month);
  if (k >= 1) acc.add(scopes, yearOf(cohort), `rt.${monthKey(cohort)}.${lagKey(k)}`);
}

/** A closed visit: its minutes by the hours it covered (at most MAX_VISIT_MS). */
export function countVisit(acc: RollupIncrements, timezone: string, libraryId: Types.ObjectId | string, checkInAt: Date, checkOutAt: Date): void {
  const end = new Date(Math.min(checkOutAt.getTime(), checkInAt.getTime() + MAX_VISIT_MS));
  const scopes = scopesOf(libraryId);
  for (const s of minutesByHour(timezone, checkInAt, end)) {
    const h = hourKey(s.hour);
    acc.add(scopes, s.day.slice(0, 7), `pm.${dayKey(s.day)}.${h}`, s.minutes, '|h');
    acc.add(scopes, yearOf(s.day), `pw.${monthKey(s.day)}.${weekdayKey(weekdayOf(s.day))}.${h}`, s.minutes, '|w');
  }
}

/**
 * The rollup writes of one tenant database, one after another in this process. FerretDB
 * applies an `$inc` as read-modify-write, so two at once on one document can lose one
 * (measured: 100 concurrent increments gave 91); queued, a process loses none. Several
 * instances can still interleave (docs/flows/analytics.md: the rebuild repairs). A few
 * milliseconds per event, per tenant.
 */
const queues = new WeakMap<Connection, Promise<unknown>>();

function serialised<T>(conn: Connection, work: () => Promise<T>): Promise<T> {
  const run = (queues.get(conn) ?? Promise.resolve()).then(work, work);
  queues.set(
    conn,
    run.catch(() => undefined),
  );
  return run;
}

/** $inc of the increments, upserting missing documents: one bulk write, queued per tenant database. */
export function applyIncrements(conn: Connection, acc: RollupIncrements): Promise<void> {
  if (!acc.docs.size) return Promise.resolve();
  return serialised(conn, () => writeIncrements(conn, acc));
}

async function writeIncrements(conn: Connection, acc: RollupIncrements): Promise<void> {
  const ops: AnyBulkWriteOperation<AnalyticsRollupDoc>[] = [...acc.docs].map(([_id, d]) => ({
    updateOne: {
      filter: { _id },
      update: { $inc: Object.fromEntries(d.inc), $setOnInsert: { scope: d.scope, period: d.period } },
      upsert: true,
    },
  }));
  try {
    await analyticsRollupModel(conn).bulkWrite(ops, { ordered: false });
  } catch (err) {
    // Two first events of a period upserted the same document: the loser's $inc goes again onto the winner's.
    if (!isOnlyDuplicateKeys(err)) throw err;
    const failed = writeErrorsOf(err)
      .map((e) => ops[e.index ?? -1])
      .filter((op) => op !== undefined);
    if (!failed.length) throw err;
    await analyticsRollupModel(conn).bulkWrite(failed, { ordered: false });
  }
}

/** Live hooks: each applies one event's increments. */
export async function recordJoined(conn: Connection, timezone: string, libraryId: Types.ObjectId, joinedAt: Date): Promise<void> {
  const acc = new RollupIncrements();
  countJoined(acc, timezone, libraryId, joinedAt);
  await applyIncrements(conn, acc);
}

export async function recordCheckIn(conn: Connection, timezone: string, fact: CheckInFact): Promise<void> {
  const acc = new RollupIncrements();
  countCheckIn(acc, timezone, fact);
  await applyIncrements(conn, acc);
}

export async function recordVisit(conn: Connection, timezone: string, libraryId: Types.ObjectId, checkInAt: Date, checkOutAt: Date): Promise<void> {
  const acc = new RollupIncrements();
  countVisit(acc, timezone, libraryId, checkInAt, checkOutAt);
  await applyIncrements(conn, acc);
}
