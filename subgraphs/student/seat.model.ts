import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface SeatDoc {
  _id: Types.ObjectId;
  libraryId: Types.ObjectId;
  number: number;
  label: string;
  zone: string | null;
  features: string[];
}

export const seatSchema = new Schema<SeatDoc>(
  {
    libraryId: { type: Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    label: { type: String, required: true },
    zone: { type: String, default: null },
    features: { type: [String], default: [] },
  },
  { collection: 'seats', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// One seat per number per library: configureSeats upserts on this key.
seatSchema.index({ libraryId: 1, number: 1 }, { unique: true });

export const seatModel = (conn: Connection) => modelOn(conn, 'Seat', seatSchema);
