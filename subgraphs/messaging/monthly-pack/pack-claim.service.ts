import type { Connection } from 'mongoose';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { packClaimModel, type PackClaimDoc } from './pack.model';

/**
 * Claims the month's pack for this run, or null: already sent, another run
 * holds a live lease, or another run won this attempt (duplicate key). An attempt whose
 * lease expired (its run crashed) or that failed is followed by the next attempt number.
 */
export async function claimPack(conn: Connection, month: string, now: Date, leaseMs: number): Promise<number | null> {
  const Claims = packClaimModel(conn);
  const latest = await Claims.findOne({ month }).sort({ attempt: -1 }).lean<PackClaimDoc>();
  if (latest?.state === 'sent') return null;
  if (latest?.state === 'claimed' && latest.leaseUntil > now) return null;
  const attempt = (latest?.attempt ?? 0) + 1;
  try {
    await Claims.create({ _id: `${month}#${attempt}`, month, attempt, state: 'claimed', leaseUntil: new Date(now.getTime() + leaseMs) });
    return attempt;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

/** The lease is still ours to act on (with a margin for the send itself). */
export async function stillHeld(conn: Connection, month: string, attempt: number, now: Date, marginMs: number): Promise<boolean> {
  const claim = await packClaimModel(conn).findById(`${month}#${attempt}`).lean<PackClaimDoc>();
  return claim?.state === 'claimed' && claim.leaseUntil.getTime() - marginMs > now.getTime();
}

/** Closes an attempt (one update by _id: only its winner writes it). */
export async function closeClaim(conn: Connection, month: string, attempt: number, set: Pick<PackClaimDoc, 'state'> & Partial<PackClaimDoc>): Promise<void> {
  await packClaimModel(conn).updateOne({ _id: `${month}#${attempt}` }, { $set: set });
}
