import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * One attempt at a tenant's monthly pack: `<month>#<attempt>`. The unique `_id` makes the
 * claim of an attempt one insert with one winner (FerretDB has no transactions and no
 * atomic conditional update); a later attempt may only start once this one's lease ran out
 * or it failed, so a crash after claiming delays the pack, never loses it.
 */
export interface PackClaimDoc {
  _id: string;
  month: string;
  attempt: number;
  state: 'claimed' | 'sent' | 'failed';
  leaseUntil: Date;
  /** File names attached (sent) — no personal data. */
  documents?: string[];
  sentAt?: Date;
  createdAt: Date;
}

export const packClaimSchema = new Schema<PackClaimDoc>(
  {
    _id: { type: String, required: true },
    month: { type: String, required: true },
    attempt: { type: Number, required: true },
    state: { type: String, required: true, enum: ['claimed', 'sent', 'failed'] },
    leaseUntil: { type: Date, required: true },
    documents: [String],
    sentAt: Date,
  },
  { collection: 'monthly_pack_claims', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
packClaimSchema.index({ month: 1, attempt: -1 });

export const packClaimModel = (conn: Connection) => modelOn(conn, 'MonthlyPackClaim', packClaimSchema);
