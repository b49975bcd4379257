import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface AttendanceDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  checkInAt: Date;
  /** Null while the student is inside: open records are the library's occupancy. */
  checkOutAt: Date | null;
  /** The student id while open, `closed:<random>` after: unique, so one open visit per student. */
  openKey: string;
  /** Check-in day 'YYYY-MM-DD' in the tenant's time zone (written at check-in; reports group on it). */
  day?: string;
  /** Whole minutes inside, written at check-out. */
  minutes?: number;
}

export const attendanceSchema = new Schema<AttendanceDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    checkInAt: { type: Date, required: true },
    checkOutAt: { type: Date, default: null },
    openKey: { type: String, required: true },
    day: String,
    minutes: Number,
  },
  { collection: 'attendance', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Unique inserts stay atomic on every backend we run on (conditional updates do not on FerretDB/SQLite).
attendanceSchema.index({ openKey: 1 }, { unique: true });
attendanceSchema.index({ libraryId: 1, checkOutAt: 1 });
attendanceSchema.index({ studentId: 1, checkInAt: -1 });
attendanceSchema.index({ libraryId: 1, checkInAt: -1 });
attendanceSchema.index({ checkInAt: -1 });
// Daily reports (attendance.stats.ts): per library, per student, whole tenant; `day: null` finds legacy visits.
attendanceSchema.index({ libraryId: 1, day: 1 });
attendanceSchema.index({ studentId: 1, day: 1 });
attendanceSchema.index({ day: 1 });

export const attendanceModel = (conn: Connection) => modelOn(conn, 'Attendance', attendanceSchema);
