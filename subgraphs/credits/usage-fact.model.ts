import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { Channel } from './channel.type';

/**
 * One fact per applied message debit or refund (`_id` = the ledger entry's `_id`, so
 * a retried debit is one fact), kept only until its day's sums are stored
 * (core/store/period-rollup.ts prunes it): the live part of messagingSpend reads
 * this small collection instead of the whole ledger.
 */
export interface UsageFactDoc {
  _id: string;
  day: string;
  channel: Channel;
  reason: 'message' | 'refund';
  delta: number;
}

export const usageFactSchema = new Schema<UsageFactDoc>(
  {
    _id: { type: String, required: true },
    day: { type: String, required: true },
    channel: { type: String, required: true },
    reason: { type: String, required: true, enum: ['message', 'refund'] },
    delta: { type: Number, required: true },
  },
  { collection: 'credit_usage_facts', versionKey: false, strictQuery: 'throw' },
);
// The open days' facts, and pruning a closed day.
usageFactSchema.index({ day: 1 });

export const usageFactModel = (conn: Connection) => modelOn(conn, 'CreditUsageFact', usageFactSchema);
