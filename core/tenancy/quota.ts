import { Schema, type Connection } from 'mongoose';
import { AppError } from '../errors';
import { isDuplicateKey } from '../store/duplicate-key';

interface SlotDoc {
  _id: string;
  key: string;
}

/**
 * Plan limits without transactions or compare-and-set updates: each unit of a
 * limit is a slot document `<key>:<n>` (n = 1..limit) and taking one is an
 * insert guarded by the unique `_id`. Only unique-index inserts are atomic on
 * every server we support (FerretDB applies conditional updates as a separate
 * read and write), so concurrent creates can never overshoot the limit.
 */
/** Takes one unit of `key` (e.g. 'students') and returns the slot id, to be released with exactly that id. */
export async function claimSlot(conn: Connection, collection: string, key: string, limit: number, countExisting: () => Promise<number>): Promise<string> {
  const slots = conn.collection<SlotDoc>(collection);
  let used = await slots.countDocuments({ key });
  if (used === 0) used = await seedSlots(conn, collection, key, await countExisting());
  if (used >= limit) throw limitExceeded(key, limit);
  // Free slots are most likely above the count; holes left by releases come after.
  for (const n of candidates(used, limit)) {
    const _id = `${key}:${n}`;
    try {
      await slots.insertOne({ _id, key });
      return _id;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw limitExceeded(key, limit);
}

export async function releaseSlot(conn: Connection, collection: string, slotId: string | undefined): Promise<void> {
  if (slotId) await conn.collection<SlotDoc>(collection).deleteOne({ _id: slotId });
}

/** Creates slots for entities that existed before quotas were tracked. */
async function seedSlots(conn: Connection, collection: string, key: string, existing: number): Promise<number> {
  const slots = conn.collection<SlotDoc>(collection);
  for (let n = 1; n <= existing; n++) {
    await slots.insertOne({ _id: `${key}:${n}`, key }).catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  }
  return slots.countDocuments({ key });
}

function* candidates(used: number, limit: number): Generator<number> {
  for (let n = used + 1; n <= limit; n++) yield n;
  for (let n = 1; n <= Math.min(used, limit); n++) yield n;
}

const limitExceeded = (key: string, limit: number) => new AppError('LIMIT_EXCEEDED', `Your plan allows at most ${limit} ${key}`, { limit });

/** The slot collection's schema, for provisioning (index on `key` backs the count). */
export function quotaSlotSchema(collection: string): Schema<SlotDoc> {
  const schema = new Schema<SlotDoc>(
    { _id: { type: String, required: true }, key: { type: String, required: true } },
    { collection, versionKey: false, strictQuery: 'throw' },
  );
  schema.index({ key: 1 });
  return schema;
}
