import { Schema, type Connection, type Types } from 'mongoose';
import { slotChainStore } from '../../../core/store/slot-chain-store';
import { modelOn } from '../../../core/tenancy/db';

/** pending: reserved, provider being asked; failed: the provider refused (a reversal link follows). */
export type RefundStatus = 'pending' | 'processed' | 'failed' | 'reversal';

export interface RefundDoc {
  /** '<paymentId>:<seq>': the payment's refund chain, seq 1, 2, 3... without gaps. */
  _id: string;
  /** Idempotency key (unique): the client's key, or 'reversal:<refund id>'. */
  key: string;
  paymentId: Types.ObjectId;
  seq: number;
  /** Paise; negative for a reversal (a refund the provider refused gives the amount back). */
  amount: number;
  /** Refunded total of the payment after this link. */
  refundedAfter: number;
  reason: string;
  status: RefundStatus;
  provider?: string;
  providerRefundId?: string;
  createdBy?: string;
  /**
   * Set on a refund from its creation until every effect of its outcome is written (its
   * reversal or dues entry, the payment's copy): the reconciler finishes one a crash left.
   */
  settling?: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const refundSchema = new Schema<RefundDoc>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    paymentId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    amount: { type: Number, required: true, validate: Number.isSafeInteger },
    refundedAfter: { type: Number, required: true, min: 0 },
    reason: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'processed', 'failed', 'reversal'] },
    provider: String,
    providerRefundId: String,
    createdBy: String,
    settling: Boolean,
  },
  { collection: 'payment_refunds', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// With the _id chain, this is what makes refunds exact and idempotent.
refundSchema.index({ key: 1 }, { unique: true });

export const refundModel = (conn: Connection) => modelOn(conn, 'PaymentRefund', refundSchema);

export const refundSlot = (paymentId: string, seq: number) => `${paymentId}:${seq}`;

/** What a refund link holds besides _id, seq and key. */
export type RefundFields = Omit<RefundDoc, '_id' | 'seq' | 'key' | 'createdAt' | 'updatedAt'>;

/** Each payment's refunds as an append-only chain (core/store/append-chain.ts), entries '<paymentId>:<seq>'. */
export const refundChain = (conn: Connection) => slotChainStore<RefundDoc, RefundFields>(refundModel(conn), refundSlot);
