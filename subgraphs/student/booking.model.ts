import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface BookingDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  seatNumber: number;
  /** First day (YYYY-MM-DD). */
  date: string;
  /** Last day, inclusive (absent on bookings made before kinds existed: = date). */
  endDate?: string;
  kind?: string;
  slot?: string | null;
  fromHour?: number;
  /** Past 24 for an overnight shift (30 = 06:00 the next day). */
  toHour?: number;
  /** The shift booked (DAILY/MONTHLY); absent on HOURLY bookings and on slot bookings not yet migrated (003). */
  shiftId?: Types.ObjectId | null;
  /** The billing membership this booking draws on, when given. */
  membershipId?: Types.ObjectId | null;
  status: string;
  /** Legacy per-day lock key; new bookings lock through seat_claims and store `booking:<id>`. */
  slotKey: string;
  studentDayKey: string;
  createdAt: Date;
}

export const bookingSchema = new Schema<BookingDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    seatNumber: { type: Number, required: true },
    date: { type: String, required: true },
    endDate: String,
    kind: String,
    slot: { type: String, default: null },
    fromHour: Number,
    toHour: Number,
    shiftId: { type: Schema.Types.ObjectId, default: null },
    membershipId: { type: Schema.Types.ObjectId, default: null },
    status: { type: String, required: true, default: 'confirmed' },
    slotKey: { type: String, required: true },
    studentDayKey: { type: String, required: true },
  },
  { collection: 'bookings', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Overlaps are prevented by seat_claims (claim.service.ts); these stay unique for old rows.
bookingSchema.index({ slotKey: 1 }, { unique: true });
bookingSchema.index({ studentDayKey: 1 }, { unique: true });
bookingSchema.index({ studentId: 1, date: -1 });
bookingSchema.index({ libraryId: 1, date: -1 });
bookingSchema.index({ date: -1, _id: -1 });
// updateShift asks whether current or future bookings use a shift.
bookingSchema.index({ shiftId: 1, endDate: 1 });

export const bookingModel = (conn: Connection) => modelOn(conn, 'Booking', bookingSchema);
