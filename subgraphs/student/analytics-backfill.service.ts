import type { Connection } from 'mongoose';
import { attendanceModel, type AttendanceDoc } from './attendance.model';
import { dayIn } from './settings.service';
import { studentModel, type StudentDoc } from './student.model';

const BATCH = 500;

/**
 * Visits recorded before `day`/`minutes` were written at check-in/out get them
 * here, once, so reports never need date operators. A no-op indexed read after that.
 */
export async function backfillAttendance(conn: Connection, timezone: string): Promise<void> {
  const Attendance = attendanceModel(conn);
  for (;;) {
    const docs = await Attendance.find({ day: null }, { checkInAt: 1, checkOutAt: 1 }).limit(BATCH).lean<AttendanceDoc[]>();
    if (!docs.length) return;
    await Attendance.bulkWrite(
      docs.map((d) => {
        const set: Record<string, unknown> = { day: dayIn(timezone, d.checkInAt) };
        if (d.checkOutAt) set.minutes = Math.max(0, Math.round((d.checkOutAt.getTime() - d.checkInAt.getTime()) / 60_000));
        return { updateOne: { filter: { _id: d._id }, update: { $set: set } } };
      }),
    );
    if (docs.length < BATCH) return;
  }
}

/** Students enrolled before `activeAt` existed: their latest visit (one indexed read each), else joinedAt. */
export async function backfillStudents(conn: Connection): Promise<void> {
  const Students = studentModel(conn);
  const Attendance = attendanceModel(conn);
  for (;;) {
    const docs = await Students.find({ activeAt: null }, { joinedAt: 1 }).limit(BATCH).lean<StudentDoc[]>();
    if (!docs.length) return;
    const ops = await Promise.all(
      docs.map(async (s) => {
        const last = await Attendance.findOne({ studentId: s._id }, { checkInAt: 1 }).sort({ checkInAt: -1 }).lean<AttendanceDoc>();
        const set: Record<string, unknown> = { activeAt: last?.checkInAt ?? s.joinedAt };
        if (last) set.lastCheckInAt = last.checkInAt;
        return { updateOne: { filter: { _id: s._id }, update: { $set: set } } };
      }),
    );
    await Students.bulkWrite(ops);
    if (docs.length < BATCH) return;
  }
}
