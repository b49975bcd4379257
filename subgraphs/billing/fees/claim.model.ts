import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, type Connection } from 'mongoose';
import { AppError } from '../../../core/errors';
import { modelOn } from '../../../core/tenancy/db';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

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

const CLAIM_STALE_MS = 30_000;
const WAIT_MS = 5_000;

/** Resolves when this caller may record `key`, or with what `settled()` found when another caller did. */
export async function claimOrWait<T>(conn: Connection, key: string, settled: () => Promise<T | null>): Promise<{ won: true } | { won: false; found: T }> {
  const Claims = claimModel(conn);
  for (let n = 1; n < 100; n++) {
    try {
      await Claims.create({ _id: `${key}#${n}` });
      return { won: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const found = await settled();
      if (found) return { won: false, found };
      const claim = await Claims.findById(`${key}#${n}`).lean<ClaimDoc>();
      if (claim && Date.now() - claim.createdAt.getTime() > CLAIM_STALE_MS) break; // its owner died: next generation
      if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', 'This payment is being recorded, try again');
      await sleep(50);
    }
  }
  throw new AppError('SERVICE_UNAVAILABLE', 'This payment is being recorded, try again');
}
