import { Schema, trusted, type Connection } from 'mongoose';
import { badInput } from '../../core/errors';
import { modelOn } from '../../core/tenancy/db';
import { CHANNELS, type Channel } from './channel';

export type LedgerReason = 'allocation' | 'message' | 'refund';
export type LedgerStatus = 'applied' | 'rejected';

export interface LedgerDoc {
  /** '<channel>:<seq>' for applied entries (the chain), 'rejected:<objectid>' for rejected ones. */
  _id: string;
  /** Idempotency key: 'allocation:<key>', 'debit:<reference>', 'refund:<reference>'. */
  key: string;
  channel: Channel;
  /** Position in the channel's chain (applied entries only): 1, 2, 3... without gaps. */
  seq?: number;
  delta: number;
  /** Applied: the balance after this entry. Rejected: the balance that was too low. */
  balanceAfter: number;
  reason: LedgerReason;
  reference: string;
  note?: string;
  status: LedgerStatus;
  /** Who asked for the movement (user id from the token), for audit. */
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const ledgerSchema = new Schema<LedgerDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    channel: { type: String, required: true, enum: ['sms', 'whatsapp', 'email'] },
    seq: Number,
    delta: { type: Number, required: true },
    balanceAfter: { type: Number, required: true },
    reason: { type: String, required: true, enum: ['allocation', 'message', 'refund'] },
    reference: { type: String, required: true },
    note: String,
    status: { type: String, required: true, enum: ['applied', 'rejected'] },
    createdBy: String,
  },
  { collection: 'credit_ledger', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// With the _id ('<channel>:<seq>'), this unique index is what makes movements exact and idempotent.
ledgerSchema.index({ key: 1 }, { unique: true });

export const ledgerModel = (conn: Connection) => modelOn(conn, 'CreditLedgerEntry', ledgerSchema);

export const slotId = (channel: Channel, seq: number) => `${channel}:${seq}`;

export const toLedgerEntry = (d: LedgerDoc) => ({
  id: d._id,
  channel: d.channel,
  delta: d.delta,
  balanceAfter: d.balanceAfter,
  reason: d.reason,
  reference: d.reference,
  note: d.note,
  createdAt: d.createdAt,
});

/** Page sizes are bounded: a ledger grows forever. */
export function checkFirst(first: number | null | undefined, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first', 'must be between 1 and 100');
  return first;
}

/**
 * Applied entries, newest first: the last `first` links of each chain, read by _id
 * from the heads (`heads` from readWallet), merged by time when no channel is given.
 */
export async function listLedger(conn: Connection, heads: Record<Channel, number>, first: number, channel?: Channel) {
  const ids = (channel ? [channel] : CHANNELS).flatMap((c) =>
    Array.from({ length: Math.min(first, heads[c]) }, (_, i) => slotId(c, heads[c] - i)),
  );
  if (!ids.length) return [];
  const docs = await ledgerModel(conn).find({ _id: trusted({ $in: ids }) }).lean<LedgerDoc[]>();
  const bySeq = (a: LedgerDoc, b: LedgerDoc) => (b.seq ?? 0) - (a.seq ?? 0);
  docs.sort(channel ? bySeq : (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || bySeq(a, b));
  return docs.slice(0, first).map(toLedgerEntry);
}
