import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface ShiftDoc {
  _id: Types.ObjectId;
  libraryId: Types.ObjectId;
  name: string;
  /** `<libraryId>:<lower-case name>` while active, `retired:<id>` after: names are unique among a library's active shifts. */
  nameKey: string;
  startTime: string;
  endTime: string;
  /** Weekday names (monday..sunday) the shift starts on. */
  days: string[];
  overnight: boolean;
  active: boolean;
  /** The old fixed slot this shift stands for (old clients' `slot` input), or null. */
  slot: string | null;
  /** `<libraryId>:slot:<slot>` for a slot's shift, `shift:<id>` otherwise: one shift per old slot per library. */
  slotKey: string;
  retiredAt?: Date | null;
  createdAt: Date;
}

export const shiftSchema = new Schema<ShiftDoc>(
  {
    libraryId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    nameKey: { type: String, required: true },
    startTime: { type: String, required: true },
    endTime: { type: String, required: true },
    days: { type: [String], required: true },
    overnight: { type: Boolean, required: true },
    active: { type: Boolean, required: true, default: true },
    slot: { type: String, default: null },
    slotKey: { type: String, required: true },
    retiredAt: { type: Date, default: null },
  },
  { collection: 'shifts', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Unique inserts are the only atomic guard on FerretDB: concurrent creates of one name or slot shift give one winner.
shiftSchema.index({ nameKey: 1 }, { unique: true });
shiftSchema.index({ slotKey: 1 }, { unique: true });
shiftSchema.index({ libraryId: 1, active: 1 });

export const shiftModel = (conn: Connection) => modelOn(conn, 'Shift', shiftSchema);
