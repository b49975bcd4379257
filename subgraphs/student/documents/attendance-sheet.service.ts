import { trusted, type Connection, type Types } from 'mongoose';
import { issueDocumentLink } from '../../../core/documents/issue';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope } from '../../../core/scope/library-scope';
import { addDays, addMonths } from '../../../core/tenant-time';
import { backfillAttendance } from '../analytics-backfill.service';
import { attendanceModel } from '../attendance.model';
import { nowOf, type StudentContext } from '../context';
import { dayIn, readSettings } from '../settings.service';
import { studentModel, type StudentDoc } from '../student.model';
import { getLibrary } from '../tenant.client';
import type { AttendanceSheetArgs } from './document.input';

/** Renderer names of the student subgraph's documents (document.routes.ts mounts them). */
export const STUDENT_DOCUMENTS = { attendanceSheet: 'attendance-sheet', studentsExport: 'students-export', attendanceExport: 'attendance-export' } as const;

/**
 * The link to a library's monthly sheet: the library must be in the caller's branch scope
 * (FORBIDDEN) and exist in their tenant (NOT_FOUND), checked here, at issuance.
 */
export async function issueAttendanceSheet(ctx: StudentContext, args: AttendanceSheetArgs) {
  const libraryId = parseId(args.libraryId, 'libraryId').toHexString();
  assertLibraryInScope(ctx, libraryId);
  await getLibrary(ctx, libraryId);
  const ext = args.format === 'XLSX' ? 'xlsx' : 'pdf';
  return issueDocumentLink(ctx, {
    kind: STUDENT_DOCUMENTS.attendanceSheet,
    params: { libraryId, month: args.month },
    format: args.format,
    fileName: `attendance-${args.month}-${libraryId}.${ext}`,
  });
}

export interface SheetRow {
  id: string;
  name: string;
  /** Check-ins per day of the month (index 0 = the 1st). */
  checkIns: number[];
  /** Days with at least one check-in. */
  daysPresent: number;
  totalCheckIns: number;
  /** Check-in day of joining (tenant time zone): days before it are not absences. */
  joinedDay: string;
}

export interface AttendanceSheet {
  month: string;
  days: string[];
  /** Today in the tenant's time zone: later days are not absences yet. */
  today: string;
  rows: SheetRow[];
  /** Students present per day: attendanceStats' uniqueStudents for the library. */
  presentByDay: number[];
  /** Visits per day: attendanceStats' checkIns for the library. */
  checkInsByDay: number[];
}

/** Every day of a month 'YYYY-MM'. */
export function monthDays(month: string): string[] {
  const first = `${month}-01`;
  const next = addMonths(first, 1);
  const days: string[] = [];
  for (let d = first; d < next; d = addDays(d, 1)) days.push(d);
  return days;
}

type Cell = { _id: { s: Types.ObjectId; d: string }; n: number };

/**
 * The grid from the stored check-in `day` (as attendanceStats reads it): one $group by
 * (student, day). Rows: the library's active students, and everyone who checked in there
 * that month (a student since moved or inactive still has their visits counted), by name.
 */
export async function loadAttendanceSheet(conn: Connection, libraryId: Types.ObjectId, month: string, now: Date): Promise<AttendanceSheet> {
  const days = monthDays(month);
  const { timezone } = await readSettings(conn);
  await backfillAttendance(conn, timezone);
  const cells = await attendanceModel(conn).aggregate<Cell>([
    { $match: { libraryId, day: { $gte: days[0], $lte: days[days.length - 1] } } },
    { $group: { _id: { s: '$studentId', d: '$day' }, n: { $sum: 1 } } },
  ]);
  const index = new Map(days.map((d, i) => [d, i]));
  const counts = new Map<string, number[]>();
  for (const c of cells) {
    const id = c._id.s.toHexString();
    let row = counts.get(id);
    if (!row) counts.set(id, (row = days.map(() => 0)));
    row[index.get(c._id.d)!] += c.n;
  }
  const Students = studentModel(conn);
  const fields = { name: 1, status: 1, joinedAt: 1 };
  const members = await Students.find({ libraryId, status: 'active' }, fields).lean<StudentDoc[]>();
  const known = new Set(members.map((s) => s._id.toHexString()));
  const visitors = [...counts.keys()].filter((id) => !known.has(id));
  const others = visitors.length ? await Students.find({ _id: trusted({ $in: visitors }) }, fields).lean<StudentDoc[]>() : [];
  const byId = new Map([...members, ...others].map((s) => [s._id.toHexString(), s]));
  const ids = [...known, ...visitors];
  const rows = ids.map((id): SheetRow => {
    const s = byId.get(id);
    const checkIns = counts.get(id) ?? days.map(() => 0);
    return {
      id,
      name: s?.name ?? '(removed student)',
      checkIns,
      daysPresent: checkIns.filter((n) => n > 0).length,
      totalCheckIns: checkIns.reduce((a, b) => a + b, 0),
      joinedDay: s ? dayIn(timezone, s.joinedAt) : days[0],
    };
  });
  rows.sort((a, b) => a.name.localeCompare(b.name, 'en-IN') || a.id.localeCompare(b.id));
  return {
    month,
    days,
    today: dayIn(timezone, now),
    rows,
    presentByDay: days.map((_, i) => rows.filter((r) => r.checkIns[i] > 0).length),
    checkInsByDay: days.map((_, i) => rows.reduce((sum, r) => sum + r.checkIns[i], 0)),
  };
}

/** The sheet of a library for a link's params (rendered in the link tenant's context). */
export async function sheetOf(ctx: StudentContext, params: Record<string, unknown>): Promise<AttendanceSheet> {
  const libraryId = parseId(String(params.libraryId), 'libraryId');
  return loadAttendanceSheet(await ctx.tenantDb(), libraryId, String(params.month), nowOf(ctx));
}
