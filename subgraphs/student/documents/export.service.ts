import { trusted } from 'mongoose';
import { issueDocumentLink } from '../../../core/documents/issue';
import type { DocumentRenderer } from '../../../core/documents/routes';
import { useXlsx, type XlsxWriter } from '../../../core/documents/xlsx';
import { parseId, tryParseId } from '../../../core/ids';
import { libraryQuery, libraryScope } from '../../../core/scope/library-scope';
import { backfillAttendance } from '../analytics-backfill.service';
import { MAX_REPORT_DAYS } from '../attendance-stats.service';
import { attendanceModel, type AttendanceDoc } from '../attendance.model';
import type { StudentContext, StudentServices } from '../context';
import { dayRange } from '../day.service';
import { readSettings } from '../settings.service';
import { studentModel, type StudentDoc } from '../student.model';
import { STUDENT_DOCUMENTS } from './attendance-sheet.service';
import type { AttendanceExportArgs, StudentsExportArgs } from './document.input';

/** Rows between two backpressure checks (xlsx.drain): ~50 KB of sheet XML. */
const DRAIN_EVERY = 500;
/** Rows a cursor fetches per round trip. */
const BATCH = 1000;

/**
 * The libraries an export covers, decided at issuance and signed into the link: the one
 * asked for (FORBIDDEN outside the caller's branch scope), else the caller's scope (null =
 * every library). The renderer acts as the service, so the scope must travel in the link.
 */
function scopeOf(ctx: StudentContext, libraryId: string | null | undefined): string[] | null {
  if (libraryId) return [String(libraryQuery(ctx, parseId(libraryId, 'libraryId')).libraryId)];
  const scope = libraryScope(ctx);
  return scope ? [...scope] : null;
}

const libraryFilter = (libraries: unknown): Record<string, unknown> =>
  Array.isArray(libraries) ? { libraryId: trusted({ $in: libraries.map((id) => tryParseId(id)).filter((id) => id !== null) }) } : {};

/** Link to every student (of a library, or of the caller's scope) as XLSX: students:read (the file holds phone numbers). */
export function issueStudentsExport(ctx: StudentContext, args: StudentsExportArgs) {
  const libraries = scopeOf(ctx, args.libraryId);
  return issueDocumentLink(ctx, { kind: STUDENT_DOCUMENTS.studentsExport, params: { libraries }, format: 'XLSX', fileName: 'students.xlsx' });
}

/** Link to every visit of from..to (at most a year) as XLSX. */
export function issueAttendanceExport(ctx: StudentContext, args: AttendanceExportArgs) {
  dayRange(args.from, args.to, MAX_REPORT_DAYS, 'to');
  const libraries = scopeOf(ctx, args.libraryId);
  return issueDocumentLink(ctx, {
    kind: STUDENT_DOCUMENTS.attendanceExport,
    params: { libraries, from: args.from, to: args.to },
    format: 'XLSX',
    fileName: `attendance-${args.from}-to-${args.to}.xlsx`,
  });
}

/**
 * Sends the status and headers now: the first rows of a large export may take the database
 * seconds (a year of visits, sorted), longer than the gateway waits for an answer to begin.
 * A failure from here on cuts the download (core/documents/routes.ts).
 */
const startAnswer = (out: { flushHeaders(): void }) => out.flushHeaders();

/** Writes a cursor's rows, checking backpressure every DRAIN_EVERY rows (never the whole set in memory). */
async function pump<T>(xlsx: XlsxWriter, rows: AsyncIterable<T>, write: (row: T) => void): Promise<number> {
  let n = 0;
  for await (const row of rows) {
    write(row);
    if (++n % DRAIN_EVERY === 0) await xlsx.drain();
  }
  return n;
}

export const studentsExportRenderer: DocumentRenderer<StudentServices> = {
  formats: ['XLSX'],
  render: async (ctx, { params, out }) => {
    const Students = studentModel(await ctx.tenantDb());
    startAnswer(out);
    const xlsx = useXlsx({ out });
    const sheet = xlsx.sheet('Students', [
      { header: 'ID', type: 'text', width: 26 },
      { header: 'Name', type: 'text' },
      { header: 'Phone', type: 'text', width: 16 },
      { header: 'Parent phone', type: 'text', width: 16 },
      { header: 'Email', type: 'text', width: 28 },
      { header: 'Status', type: 'text', width: 10 },
      { header: 'Library ID', type: 'text', width: 26 },
      { header: 'Joined', type: 'date' },
    ]);
    const fields = { name: 1, phone: 1, parentPhone: 1, email: 1, status: 1, libraryId: 1, joinedAt: 1 };
    const cursor = Students.find(libraryFilter(params.libraries), fields).sort({ _id: 1 }).lean<StudentDoc>().cursor({ batchSize: BATCH });
    await pump(xlsx, cursor, (s) => sheet.row([s._id.toHexString(), s.name, s.phone, s.parentPhone, s.email, s.status, s.libraryId.toHexString(), s.joinedAt]));
    sheet.done();
    await xlsx.end();
  },
};

/**
 * Every visit of the period, by check-in time, with the student's name: names come from one
 * pass over the students first (bounded by the number of students, not of visits).
 */
export const attendanceExportRenderer: DocumentRenderer<StudentServices> = {
  formats: ['XLSX'],
  render: async (ctx, { params, out }) => {
    const conn = await ctx.tenantDb();
    startAnswer(out);
    const { timezone } = await readSettings(conn);
    await backfillAttendance(conn, timezone);
    const filter = libraryFilter(params.libraries);
    const names = new Map<string, string>();
    for await (const s of studentModel(conn).find(filter, { name: 1 }).lean<StudentDoc>().cursor({ batchSize: BATCH })) names.set(s._id.toHexString(), s.name);
    const at = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hour12: false });
    const xlsx = useXlsx({ out });
    const sheet = xlsx.sheet('Attendance', [
      { header: 'Day', type: 'text', width: 12 },
      { header: 'Student', type: 'text' },
      { header: 'Student ID', type: 'text', width: 26 },
      { header: 'Library ID', type: 'text', width: 26 },
      { header: 'Check-in', type: 'text', width: 9 },
      { header: 'Check-out', type: 'text', width: 9 },
      { header: 'Minutes', type: 'integer' },
    ]);
    const visits = attendanceModel(conn)
      .find(
        { ...filter, day: trusted({ $gte: String(params.from), $lte: String(params.to) }) },
        { studentId: 1, libraryId: 1, checkInAt: 1, checkOutAt: 1, day: 1, minutes: 1 },
      )
      .sort({ checkInAt: 1 })
      .lean<AttendanceDoc>()
      .cursor({ batchSize: BATCH });
    await pump(xlsx, visits, (v) => {
      const student = v.studentId.toHexString();
      sheet.row([
        v.day,
        names.get(student) ?? '',
        student,
        v.libraryId.toHexString(),
        at.format(v.checkInAt),
        v.checkOutAt ? at.format(v.checkOutAt) : '',
        v.minutes,
      ]);
    });
    sheet.done();
    await xlsx.end();
  },
};
