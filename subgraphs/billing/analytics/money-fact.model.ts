import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { MoneyRow } from './money-rollup.service';

/**
 * One money fact per dues-ledger entry (`_id` = the entry's key, so a retried or
 * twice-delivered payment is one fact), kept only until its day's sums are stored
 * (core/store/period-rollup.ts prunes it): the live part of the money reports reads
 * this small collection instead of the whole ledger.
 */
export interface MoneyFactDoc extends MoneyRow {
  _id: string;
  day: string;
}

export const moneyFactSchema = new Schema<MoneyFactDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    libraryId: String,
    planId: String,
    method: String,
    billed: { type: Number, required: true },
    received: { type: Number, required: true },
    refunded: { type: Number, required: true },
    dueDelta: { type: Number, required: true },
    payments: { type: Number, required: true },
    refunds: { type: Number, required: true },
  },
  { collection: 'money_facts', versionKey: false, strictQuery: 'throw' },
);
// The open days' facts, and pruning a closed day.
moneyFactSchema.index({ day: 1 });

export const moneyFactModel = (conn: Connection) => modelOn(conn, 'MoneyFact', moneyFactSchema);
