import { setTimeout as sleep } from 'node:timers/promises';
import { Schema, trusted, type Model, type Types } from 'mongoose';
import { type AppError, notFound } from '../errors';
import { isDuplicateKey } from '../store/duplicate-key';
import { perCollection } from '../store/schema-per-collection';

/**
 * Status changes of one document, one at a time without transactions. A
 * conditional update is not enough: FerretDB applies `{ _id, status: from } →
 * $set` as a separate read and write, so two racing changes (approve and
 * reject) could both "succeed". Each change first inserts a claim `<id>:<n>`
 * (n = the document's statusSeq + 1) under the unique `_id`; only its winner
 * writes, the others wait for that write and judge again from the new status.
 * A claim whose writer died is rolled forward (its `set` applied) by the next caller,
 * under its own claim `<id>:<n>:rolled:<generation>` so only one caller does it; the writer's own
 * write is conditional on statusSeq < n, so a writer that was only slow changes nothing.
 */
export interface StatusClaimDoc {
  _id: string;
  set: Record<string, unknown>;
  createdAt: Date;
}

/** The claims schema of one collection (the same object on every call). */
export const statusClaimSchema = perCollection(
  (collection: string) =>
    new Schema<StatusClaimDoc>(
      { _id: { type: String, required: true }, set: { type: Schema.Types.Mixed, required: true } },
      { collection, timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw', minimize: false },
    ),
);

/**
 * A claim older than this whose change never landed: its writer died. Well above
 * FerretDB's SQLite busy timeout (10 s): a live writer's write has landed or failed
 * by then. At 10 s a write stalled on a busy database could be rolled forward and
 * then land on top of the next change (most likely what overwrote a suspension in CI).
 */
export const STALE_MS = 60_000;

interface WithStatus {
  status: string;
  statusSeq?: number;
}

export interface StatusChange {
  /** Statuses the change may start from. */
  from: readonly string[];
  /** Written with the new statusSeq, e.g. `{ status, statusReason }`. */
  set: Record<string, unknown> & { status: string };
  /** The error for a document in a status the change may not start from. */
  refuse: (current: string) => AppError;
  /** NOT_FOUND names this. */
  entity: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any model with status + statusSeq
type AnyModel = Model<any>;

export async function changeStatus<D extends WithStatus>(
  model: AnyModel,
  claims: Model<StatusClaimDoc>,
  _id: Types.ObjectId,
  change: StatusChange,
): Promise<D> {
  for (;;) {
    const doc = await model.findById(_id).lean<D>();
    if (!doc) throw notFound(change.entity);
    if (!change.from.includes(doc.status)) throw change.refuse(doc.status);
    const seq = (doc.statusSeq ?? 0) + 1;
    const claimId = `${_id.toHexString()}:${seq}`;
    try {
      await claims.create({ _id: claimId, set: change.set });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await settle(model, claims, _id, claimId, seq);
      continue; // judge again from the status the winner wrote
    }
    return writeClaimed<D>(model, _id, change.set, seq);
  }
}

/**
 * The winner of claim `seq` writes statusSeq = seq, so these writes are ordered. Only
 * while statusSeq < seq: if the claim was rolled forward meanwhile, the same `set` is
 * already there (and maybe a later change on top), and this write must not undo it.
 */
export async function writeClaimed<D>(model: AnyModel, _id: Types.ObjectId, set: Record<string, unknown>, seq: number): Promise<D> {
  const written = await model
    .findOneAndUpdate({ _id, statusSeq: trusted({ $not: { $gte: seq } }) }, { $set: { ...set, statusSeq: seq } }, { returnDocument: 'after' })
    .lean<D>();
  return written ?? (await model.findById(_id).lean<D>())!;
}

/** Waits for the winner of `claimId` to write; rolls a dead writer's claim forward. */
async function settle(model: AnyModel, claims: Model<StatusClaimDoc>, _id: Types.ObjectId, claimId: string, seq: number) {
  for (;;) {
    const doc = await model.findById(_id, { statusSeq: 1 }).lean<WithStatus>();
    if (!doc || (doc.statusSeq ?? 0) >= seq) return;
    const claim = await claims.findById(claimId).lean<StatusClaimDoc>();
    if (claim && stale(claim) && (await takeRoll(claims, claimId))) {
      await model.updateOne({ _id, statusSeq: trusted({ $not: { $gte: seq } }) }, { $set: { ...claim.set, statusSeq: seq } });
      return;
    }
    await sleep(20);
  }
}

const stale = (claim: StatusClaimDoc) => Date.now() - claim.createdAt.getTime() > STALE_MS;

/**
 * One caller rolls a dead claim forward: on FerretDB two conditional updates at once
 * both apply, and the later one could land on top of the next change. The roller inserts
 * `<claim>:rolled:<n>`; a roller that died too is taken over under the next generation
 * once its own marker is stale, again by one insert, so only one caller wins each time.
 */
async function takeRoll(claims: Model<StatusClaimDoc>, claimId: string): Promise<boolean> {
  for (let n = 1; ; n++) {
    const rollId = `${claimId}:rolled:${n}`;
    try {
      await claims.create({ _id: rollId, set: {} });
      return true;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const roll = await claims.findById(rollId).lean<StatusClaimDoc>();
      if (roll && !stale(roll)) return false;
    }
  }
}
