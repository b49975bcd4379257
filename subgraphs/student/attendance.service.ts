import { Types } from 'mongoose';
import type { StudentContext } from './context';
import { conflict, notFound } from '../../core/errors';
import { parseId, tryParseId } from '../../core/ids';
import { assertLibraryInScope, libraryQuery, libraryScopeFilter } from '../../core/scope/library-scope';
import { attendanceModel, type AttendanceDoc } from './attendance.model';
import { occupancyChanged } from './occupancy.events';
import { dayIn, readSettings } from './settings.service';
import { studentModel, type StudentDoc } from './student.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';
import { recordCheckIn, recordVisit } from './analytics/analytics-record.service';

export async function listAttendance(ctx: StudentContext, args: { studentId?: string; libraryId?: string; first: number }) {
  const query: Record<string, unknown> = libraryQuery(ctx, args.libraryId ? parseId(args.libraryId, 'libraryId') : null, 'libraryId', tryParseId);
  if (args.studentId) query.studentId = parseId(args.studentId, 'studentId');
  const Attendance = attendanceModel(await ctx.tenantDb());
  const docs = await Attendance.find(query).sort({ checkInAt: -1 }).limit(args.first).lean<AttendanceDoc[]>();
  return docs.map(toAttendance);
}

/**
 * The insert is the claim: `openKey` (the student id) is unique while the visit
 * is open, so of concurrent check-ins exactly one succeeds, the rest get E11000.
 */
export async function checkIn(ctx: StudentContext, studentId: string) {
  const _id = parseId(studentId, 'studentId');
  const conn = await ctx.tenantDb();
  const student = await studentModel(conn).findById(_id).lean<StudentDoc>();
  if (!student) throw notFound('Student');
  assertLibraryInScope(ctx, student.libraryId);
  if (student.status !== 'active') throw conflict('Only active students can check in', 'studentId');
  const checkInAt = new Date();
  const { timezone } = await readSettings(conn);
  try {
    const doc = await attendanceModel(conn).create({
      studentId: _id,
      libraryId: student.libraryId,
      checkInAt,
      checkOutAt: null,
      openKey: _id.toHexString(),
      day: dayIn(timezone, checkInAt),
    });
    // Single-document update that keeps churnRisk one indexed query on students.
    await studentModel(conn).updateOne({ _id }, { $set: { lastCheckInAt: checkInAt, activeAt: checkInAt } });
    // The previous check-in decides whether this is the student's first of the day, week and month.
    await recordCheckIn(conn, timezone, { libraryId: student.libraryId, at: checkInAt, previous: student.lastCheckInAt, joinedAt: student.joinedAt });
    const attendanceId = doc._id.toHexString();
    const tenantId = (await ctx.tenant())._id.toHexString();
    const fact = { tenantId, attendanceId, studentId, libraryId: student.libraryId.toHexString(), checkInAt: checkInAt.toISOString() };
    await ctx.emit('attendance.checkedIn', fact, attendanceId);
    await occupancyChanged(ctx, student.libraryId, 'check_in');
    return toAttendance(doc.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict('The student is already checked in', 'studentId');
    throw err;
  }
}

/** Closes the open visit and frees its key for the next check-in. */
export async function checkOut(ctx: StudentContext, studentId: string) {
  const _id = parseId(studentId, 'studentId');
  const conn = await ctx.tenantDb();
  const doc = await attendanceModel(conn)
    .findOneAndUpdate(
      { openKey: _id.toHexString(), ...libraryScopeFilter(ctx, 'libraryId', tryParseId) },
      { $set: { checkOutAt: new Date(), openKey: `closed:${new Types.ObjectId().toHexString()}` } },
      { returnDocument: 'after' },
    )
    .lean<AttendanceDoc>();
  if (doc) {
    // Derived from the closed visit itself, so writing it twice gives the same value.
    const minutes = Math.max(0, Math.round((doc.checkOutAt!.getTime() - doc.checkInAt.getTime()) / 60_000));
    await attendanceModel(conn).updateOne({ _id: doc._id }, { $set: { minutes } });
    await recordVisit(conn, (await readSettings(conn)).timezone, doc.libraryId, doc.checkInAt, doc.checkOutAt!);
    await occupancyChanged(ctx, doc.libraryId, 'check_out');
    return toAttendance(doc);
  }
  const student = await studentModel(conn).findById(_id).lean<StudentDoc>();
  if (!student) throw notFound('Student');
  assertLibraryInScope(ctx, student.libraryId);
  throw conflict('The student is not checked in', 'studentId');
}

export const toAttendance = (d: AttendanceDoc) => ({
  id: d._id.toHexString(),
  studentId: d.studentId.toHexString(),
  library: { id: d.libraryId.toHexString() },
  checkInAt: d.checkInAt,
  checkOutAt: d.checkOutAt ?? null,
});
