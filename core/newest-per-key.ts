import type { Types } from 'mongoose';

/** Reads at most `limit` documents matching `filter`, newest first (the caller's sort and index). */
export type NewestReader<D> = (filter: Record<string, unknown>, limit: number) => Promise<D[]>;

/**
 * The newest `per` documents of each key (e.g. each student of a batch) without one
 * query per key and without reading every document of the batch: ONE query over all
 * keys, newest first, bounded to `per` × keys documents. Every key's share of it is
 * that key's newest documents. Only a key left with fewer than `per` when the bound
 * was reached may have been crowded out by busier keys; those get their own indexed,
 * limited query. Usually nobody is: one query for the batch, whatever its history.
 *
 * `inKeys` builds the batch filter (the caller wraps `$in` in mongoose's `trusted()`).
 */
export async function newestPerKey<D>(
  keys: Types.ObjectId[],
  per: number,
  field: string,
  inKeys: (keys: Types.ObjectId[]) => unknown,
  read: NewestReader<D>,
  keyOf: (d: D) => string,
): Promise<Map<string, D[]>> {
  const out = new Map<string, D[]>(keys.map((k) => [k.toHexString(), []]));
  if (!keys.length || per < 1) return out;
  const bound = per * keys.length;
  const docs = await read({ [field]: inKeys(keys) }, bound);
  for (const d of docs) {
    const mine = out.get(keyOf(d));
    if (mine && mine.length < per) mine.push(d);
  }
  if (docs.length === bound) {
    await Promise.all(
      keys.map(async (k) => {
        if (out.get(k.toHexString())!.length < per) out.set(k.toHexString(), await read({ [field]: k }, per));
      }),
    );
  }
  return out;
}
