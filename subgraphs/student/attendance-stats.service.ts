import type { PipelineStage } from 'mongoose';
import type { StudentContext } from './context';
import { notFound } from '../../core/errors';
import { parseId, tryParseId } from '../../core/ids';
import { libraryQuery, libraryScopeFilter } from '../../core/scope/library-scope';
import { backfillAttendance } from './analytics-backfill.service';
import { attendanceModel } from './attendance.model';
import { readSettings } from './settings.service';
import { studentModel } from './student.model';
import { dayRange } from './day.service';

/** Longest range of one report (a year, leap or not). */
export const MAX_REPORT_DAYS = 366;

type Counted = { _id: string; n: number };

/**
 * Daily rows from the stored `day`/`minutes` fields. FerretDB 1.x computes only
 * the first accumulator of a $group (FerretDB#4616), so each figure is its own
 * single-accumulator pipeline; the three run in parallel on the same index.
 */
async function daily(ctx: StudentContext, match: Record<string, unknown>, from: string, to: string, withUnique: boolean) {
  const days = dayRange(from, to, MAX_REPORT_DAYS, 'to');
  const conn = await ctx.tenantDb();
  await backfillAttendance(conn, (await readSettings(conn)).timezone);
  const Attendance = attendanceModel(conn);
  const $match = { ...match, day: { $gte: from, $lte: to } };
  const run = (stages: PipelineStage[]) => Attendance.aggregate<Counted>([{ $match }, ...stages]);
  const [visits, minutes, unique] = await Promise.all([
    run([{ $group: { _id: '$day', n: { $sum: 1 } } }]),
    run([{ $group: { _id: '$day', n: { $sum: '$minutes' } } }]),
    withUnique ? run([{ $group: { _id: { d: '$day', s: '$studentId' } } }, { $group: { _id: '$_id.d', n: { $sum: 1 } } }]) : Promise.resolve([] as Counted[]),
  ]);
  const byDay = (rows: Counted[]) => new Map(rows.map((r) => [r._id, r.n]));
  const [v, m, u] = [byDay(visits), byDay(minutes), byDay(unique)];
  return days.map((day) => ({ day, checkIns: v.get(day) ?? 0, totalMinutes: m.get(day) ?? 0, uniqueStudents: u.get(day) ?? 0 }));
}

/** Per-day check-ins, distinct students and minutes: one library, or the whole tenant. */
export function attendanceStats(ctx: StudentContext, libraryId: string | undefined, from: string, to: string) {
  const match = libraryQuery(ctx, libraryId ? parseId(libraryId, 'libraryId') : null, 'libraryId', tryParseId);
  return daily(ctx, match, from, to, true);
}

/** One student's per-day visits and minutes. */
export async function studentAttendance(ctx: StudentContext, studentId: string, from: string, to: string) {
  const _id = parseId(studentId, 'studentId');
  // Another tenant's (or a deleted) student is NOT_FOUND, not an empty report.
  // A student of another branch is NOT_FOUND too (branch scope).
  if (!(await studentModel(await ctx.tenantDb()).exists({ _id, ...libraryScopeFilter(ctx, 'libraryId', tryParseId) }))) throw notFound('Student');
  const rows = await daily(ctx, { studentId: _id }, from, to, false);
  return rows.map(({ day, checkIns, totalMinutes }) => ({ day, checkIns, totalMinutes }));
}
