import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/**
 * One document per unit of time a booking holds: `_id` is the unit key, so the
 * unique `_id` index is the lock. Keys:
 *   seat:<libraryId>:<seatNumber>:<YYYY-MM-DD>:<HH>   (the seat in that hour)
 *   student:<studentId>:<YYYY-MM-DD>:<HH>              (the student in that hour)
 */
export interface SeatClaimDoc {
  _id: string;
  bookingId: Types.ObjectId;
  libraryId: Types.ObjectId;
  /** Set on seat keys only (null on student keys): availability groups by it. */
  seatNumber: number | null;
  date: string;
  hour: number;
}

export const seatClaimSchema = new Schema<SeatClaimDoc>(
  {
    _id: { type: String, required: true },
    bookingId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    seatNumber: { type: Number, default: null },
    date: { type: String, required: true },
    hour: { type: Number, required: true },
  },
  { collection: 'seat_claims', versionKey: false, strictQuery: 'throw' },
);
seatClaimSchema.index({ bookingId: 1 });
seatClaimSchema.index({ libraryId: 1, date: 1, hour: 1 });

export const seatClaimModel = (conn: Connection) => modelOn(conn, 'SeatClaim', seatClaimSchema);
