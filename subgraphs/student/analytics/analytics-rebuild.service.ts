import type { Connection, Types } from 'mongoose';
import { attendanceModel, type AttendanceDoc } from '../attendance.model';
import { studentModel, type StudentDoc } from '../student.model';
import { analyticsRollupModel, analyticsStateModel, type AnalyticsRollupDoc } from './analytics.model';
import { sealDoc } from './analytics-pack.service';
import { localClock } from './analytics-time.service';
import { countCheckIn, countJoined, countVisit, RollupIncrements } from './analytics-record.service';

/** Layout version of analytics_rollups: a tenant whose state is older is rebuilt once. */
export const ANALYTICS_VERSION = 1;
const STATE_ID = 'rollups';
const WRITE_BATCH = 200;

/** Sets `a.b.c = n` in a nested object (paths from RollupIncrements). */
function setPath(doc: Record<string, unknown>, path: string, n: number): void {
  const keys = path.split('.');
  let at = doc;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys[keys.length - 1]!] = n;
}

/**
 * Recomputes every rollup document from students and attendance, through the same
 * counting functions as the live hooks (each student's visits in time order, so
 * "first of the day/week/month" is decided exactly as at check-in), and replaces
 * them (closed months packed). Streams both collections; keeps per student only the check-in times.
 * For tenants with history from before the analytics existed, the benchmark's seed,
 * and as a repair (FerretDB does not apply concurrent $inc atomically).
 */
export async function rebuildAnalytics(conn: Connection, timezone: string): Promise<{ documents: number }> {
  const acc = new RollupIncrements();
  const today = localClock(timezone, new Date()).day;
  const joined = new Map<string, Date>();
  for await (const s of studentModel(conn).find({}, { libraryId: 1, joinedAt: 1 }).lean<StudentDoc[]>().cursor()) {
    joined.set(s._id.toHexString(), s.joinedAt);
    countJoined(acc, timezone, s.libraryId, s.joinedAt);
  }
  const visits = new Map<string, { at: number[]; lib: Types.ObjectId[] }>();
  const projection = { studentId: 1, libraryId: 1, checkInAt: 1, checkOutAt: 1 };
  for await (const v of attendanceModel(conn).find({}, projection).lean<AttendanceDoc[]>().cursor()) {
    const sid = v.studentId.toHexString();
    let list = visits.get(sid);
    if (!list) visits.set(sid, (list = { at: [], lib: [] }));
    list.at.push(v.checkInAt.getTime());
    list.lib.push(v.libraryId);
    if (v.checkOutAt) countVisit(acc, timezone, v.libraryId, v.checkInAt, v.checkOutAt);
  }
  for (const [sid, list] of visits) {
    const order = list.at.map((_, i) => i).sort((a, b) => list.at[a]! - list.at[b]!);
    let previous: Date | null = null;
    for (const i of order) {
      const at = new Date(list.at[i]!);
      countCheckIn(acc, timezone, { libraryId: list.lib[i]!, at, previous, joinedAt: joined.get(sid) ?? null });
      previous = at;
    }
  }
  const docs: AnalyticsRollupDoc[] = [...acc.docs].map(([_id, d]) => {
    const doc: Record<string, unknown> = { _id, scope: d.scope, period: d.period };
    for (const [path, n] of d.inc) setPath(doc, path, n);
    sealDoc(doc as unknown as AnalyticsRollupDoc, today);
    return doc as unknown as AnalyticsRollupDoc;
  });
  const Months = analyticsRollupModel(conn);
  for (let i = 0; i < docs.length; i += WRITE_BATCH) {
    const batch = docs.slice(i, i + WRITE_BATCH).map((doc) => ({ replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true } }));
    await Months.bulkWrite(batch, { ordered: false });
  }
  const keep = new Set(docs.map((d) => d._id));
  const stale = (await Months.find({}, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id).filter((id) => !keep.has(id));
  for (const _id of stale) await Months.deleteOne({ _id });
  await analyticsStateModel(conn).updateOne({ _id: STATE_ID }, { $set: { version: ANALYTICS_VERSION, builtAt: new Date() } }, { upsert: true });
  return { documents: docs.length };
}

/** Builds the rollups once per tenant (and again after a layout change); a point read after that. */
export async function ensureAnalytics(conn: Connection, timezone: string): Promise<void> {
  if (!(await analyticsStale(conn))) return;
  await rebuildAnalytics(conn, timezone);
}

/**
 * A new tenant's rollups are built already: empty, as it has no students or visits. Its
 * live hooks then count everything, and no first report rebuilds while check-ins arrive:
 * such a rebuild could read a check-in whose live increment then landed on top of it (a
 * dashboard test counted 3 active students for 2). Run on provisioning, which may run again
 * for an existing tenant: one with students or visits is left to migration 007 or its first report.
 */
export async function startAnalyticsBuilt(conn: Connection): Promise<void> {
  if (!(await analyticsStale(conn))) return;
  const [students, visits] = await Promise.all([studentModel(conn).exists({}), attendanceModel(conn).exists({})]);
  if (students || visits) return;
  await analyticsStateModel(conn).updateOne({ _id: STATE_ID }, { $set: { version: ANALYTICS_VERSION, builtAt: new Date() } }, { upsert: true });
}

/** True until this version's rollups have been built for the tenant (migration 007 asks). */
export async function analyticsStale(conn: Connection): Promise<boolean> {
  const state = await analyticsStateModel(conn).findById(STATE_ID).lean<{ version: number }>();
  return !state || state.version < ANALYTICS_VERSION;
}
