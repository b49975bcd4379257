import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, trusted, type Connection, type Types } from 'mongoose';
import { type AppError, notFound } from '../../core/errors';
import { isDuplicateKey, modelOn } from '../../core/tenancy/db';
import { libraryModel, type LibraryDoc } from './library.model';

/**
 * Status changes of a library, one at a time without transactions. A conditional
 * update is not enough: FerretDB applies `{ _id, status: from } → $set` as a
 * separate read and write, so a concurrent approve and reject could both
 * "succeed". Each change first inserts a claim `<libraryId>:<n>` (n = the
 * library's statusSeq + 1) under the unique `_id`; only its winner writes the
 * status, the others wait for that write and judge again from the new status.
 * A claim whose writer died is rolled forward by the next caller.
 */
interface StatusClaimDoc {
  _id: string;
  to: string;
  reason: string | null;
  createdAt: Date;
}

const claimSchema = new Schema<StatusClaimDoc>(
  { _id: { type: String, required: true }, to: { type: String, required: true }, reason: { type: String, default: null } },
  { collection: 'library_status_claims', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
const claimModel = (conn: Connection) => modelOn(conn, 'LibraryStatusClaim', claimSchema);

/** A claim older than this whose status never landed: its writer died. */
const STALE_MS = 10_000;

export interface StatusChange {
  /** Statuses the change may start from. */
  from: readonly string[];
  to: string;
  reason: string | null;
  /** The error for a library in a status the change may not start from. */
  refuse: (current: string) => AppError;
}

export async function changeLibraryStatus(conn: Connection, _id: Types.ObjectId, change: StatusChange): Promise<LibraryDoc> {
  const Library = libraryModel(conn);
  const Claims = claimModel(conn);
  for (;;) {
    const doc = await Library.findById(_id).lean<LibraryDoc>();
    if (!doc) throw notFound('Library');
    if (!change.from.includes(doc.status)) throw change.refuse(doc.status);
    const seq = (doc.statusSeq ?? 0) + 1;
    const claimId = `${_id.toHexString()}:${seq}`;
    try {
      await Claims.create({ _id: claimId, to: change.to, reason: change.reason });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await settle(conn, _id, claimId, seq);
      continue; // judge again from the status the winner wrote
    }
    // Only the winner of claim `seq` writes statusSeq = seq, so these writes are ordered.
    return (await Library.findByIdAndUpdate(
      _id, { $set: { status: change.to, statusReason: change.reason, statusSeq: seq } }, { returnDocument: 'after' },
    ).lean<LibraryDoc>())!;
  }
}

/** Waits for the winner of `claimId` to write its status; rolls a dead writer's claim forward. */
async function settle(conn: Connection, _id: Types.ObjectId, claimId: string, seq: number): Promise<void> {
  const Library = libraryModel(conn);
  for (;;) {
    const doc = await Library.findById(_id, { statusSeq: 1 }).lean<LibraryDoc>();
    if (!doc || (doc.statusSeq ?? 0) >= seq) return;
    const claim = await claimModel(conn).findById(claimId).lean<StatusClaimDoc>();
    if (claim && Date.now() - claim.createdAt.getTime() > STALE_MS) {
      await Library.updateOne({ _id, statusSeq: trusted({ $not: { $gte: seq } }) },
        { $set: { status: claim.to, statusReason: claim.reason, statusSeq: seq } });
      return;
    }
    await sleep(20);
  }
}
