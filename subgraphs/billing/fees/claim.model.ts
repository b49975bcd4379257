import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * Who records a gateway payment. The unique gatewayPaymentKey alone keeps the
 * payment single, but every racer would first take an invoice number, and the
 * losers' numbers could not all be given back (gaps in GST invoice numbering).
 * So racers first insert a claim (unique _id); only its winner takes a number.
 * A claim whose winner died is taken over after CLAIM_STALE_MS under the next
 * generation '<key>#<n+1>' (again a unique insert, so one taker).
 */
export interface ClaimDoc {
  _id: string;
  createdAt: Date;
}

export const claimSchema = new Schema<ClaimDoc>(
  { _id: { type: String, required: true } },
  { collection: 'payment_claims', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const claimModel = (conn: Connection) => modelOn(conn, 'PaymentClaim', claimSchema);
