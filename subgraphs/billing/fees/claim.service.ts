import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { AppError } from '../../../core/errors';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { claimModel, type ClaimDoc } from './claim.model';

/** A claim older than this lost its owner (crash): the next generation may be taken. */
const CLAIM_STALE_MS = 30_000;
/** How long a loser waits for the winner's payment before answering "try again". */
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
