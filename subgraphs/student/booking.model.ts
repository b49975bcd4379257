import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface BookingDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  seatNumber: number;
  date: string;
  status: string;
  /** `${libraryId}:${seatNumber}:${date}` while confirmed, `cancelled:${_id}` after: one booking per seat and day. */
  slotKey: string;
  /** `${studentId}:${date}` while confirmed, `cancelled:${_id}` after: one booking per student and day. */
  studentDayKey: string;
  createdAt: Date;
}

export const bookingSchema = new Schema<BookingDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    seatNumber: { type: Number, required: true },
    date: { type: String, required: true },
    status: { type: String, required: true, default: 'confirmed' },
    slotKey: { type: String, required: true },
    studentDayKey: { type: String, required: true },
  },
  { collection: 'bookings', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// No transactions or partial indexes: the unique keys themselves prevent double booking.
bookingSchema.index({ slotKey: 1 }, { unique: true });
bookingSchema.index({ studentDayKey: 1 }, { unique: true });
bookingSchema.index({ studentId: 1, date: -1 });
bookingSchema.index({ libraryId: 1, date: -1 });
bookingSchema.index({ date: -1, _id: -1 });

export const bookingModel = (conn: Connection) => modelOn(conn, 'Booking', bookingSchema);

export const slotKeyOf = (libraryId: Types.ObjectId, seatNumber: number, date: string) =>
  `${libraryId.toHexString()}:${seatNumber}:${date}`;
export const studentDayKeyOf = (studentId: Types.ObjectId, date: string) => `${studentId.toHexString()}:${date}`;
export const cancelledKeyOf = (bookingId: Types.ObjectId) => `cancelled:${bookingId.toHexString()}`;

export const toBooking = (d: BookingDoc) => ({
  id: d._id.toHexString(),
  studentId: d.studentId.toHexString(),
  library: { id: d.libraryId.toHexString() },
  seatNumber: d.seatNumber,
  date: d.date,
  status: d.status,
  createdAt: d.createdAt,
});
