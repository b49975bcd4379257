import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/** One document per sequence, e.g. `invoice:2026-27`; taken with a single atomic `$inc`. */
export interface CounterDoc {
  _id: string;
  seq: number;
}

export const counterSchema = new Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'billing_counters', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const counterModel = (conn: Connection) => modelOn(conn, 'BillingCounter', counterSchema);
