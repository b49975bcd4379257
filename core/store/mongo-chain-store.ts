import type { Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import type { ChainEntry, ChainStore, NextEntry } from './append-chain';

/**
 * A chain store on a collection of ChainEntry documents with unique indexes on
 * { chain, seq } and { key }: the head is the highest seq of the chain (one
 * indexed query, so no search hint is needed).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry model
export function mongoChainStore<E extends ChainEntry<unknown>>(model: Model<any>): ChainStore<E> {
  return {
    head: (chain) => model.findOne({ chain }).sort({ seq: -1 }).lean<E>().exec(),
    byKey: (key) => model.findOne({ key }).lean<E>().exec(),
    insert: async (chain, seq, key, fields: NextEntry<E>) => {
      const entry = { ...fields, chain, seq, key } as E;
      await model.create(entry);
      return entry;
    },
    isDuplicate: isDuplicateKey,
  };
}
