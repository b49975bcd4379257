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
  toHour?: number;
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

export const bookingModel = (conn: Connection) => modelOn(conn, 'Booking', bookingSchema);

export const ownKeyOf = (bookingId: Types.ObjectId) => `booking:${bookingId.toHexString()}`;
export const cancelledKeyOf = (bookingId: Types.ObjectId) => `cancelled:${bookingId.toHexString()}`;

export const toBooking = (d: BookingDoc) => ({
  id: d._id.toHexString(),
  studentId: d.studentId.toHexString(),
  library: { id: d.libraryId.toHexString() },
  seatNumber: d.seatNumber,
  date: d.date,
  endDate: d.endDate ?? d.date,
  kind: d.kind ?? 'daily',
  slot: d.kind ? (d.slot ?? null) : 'full_day',
  fromHour: d.fromHour ?? 6,
  toHour: d.toHour ?? 22,
  status: d.status,
  createdAt: d.createdAt,
});
