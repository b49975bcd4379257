import { trusted, type Connection } from 'mongoose';
import { AppError } from '../errors';

/**
 * Plan limits without transactions: a per-tenant counter document is taken with
 * one conditional `$inc`, so concurrent creates can never exceed the limit.
 * The counter is seeded from the real count the first time it is used.
 */
export async function reserveQuota(
  conn: Connection,
  collection: string,
  key: string,
  limit: number,
  countExisting: () => Promise<number>,
): Promise<void> {
  const counters = conn.collection<{ _id: string; used: number }>(collection);
  const existing = await counters.findOne({ _id: key });
  if (!existing) {
    const used = await countExisting();
    try {
      await counters.insertOne({ _id: key, used });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err; // another request seeded it
    }
  }
  const taken = await counters.findOneAndUpdate(
    { _id: key, used: trusted({ $lt: limit }) as never },
    { $inc: { used: 1 } },
    { returnDocument: 'after' },
  );
  if (!taken) {
    throw new AppError('LIMIT_EXCEEDED', `Your plan allows at most ${limit} ${key}`, { limit });
  }
}

export async function releaseQuota(conn: Connection, collection: string, key: string): Promise<void> {
  await conn.collection<{ _id: string; used: number }>(collection).updateOne(
    { _id: key, used: trusted({ $gt: 0 }) as never },
    { $inc: { used: -1 } },
  );
}
