import type { Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';
import type { ChainStore, Link } from './append-chain';
import { searchHead } from './head-search';

/**
 * A chain store whose entries are addressed by _id: `slot(chain, seq)` (e.g.
 * '<channel>:<seq>'), plus a unique index on `key`. The unique _id is the
 * (chain, seq) guard; the head is found by looking slots up by _id from a hint
 * (head-search.ts), cheaper than a sort when the hint is current. Used by the
 * credits ledger and the refund chain, whose documents predate mongoChainStore.
 * F: the fields of an entry besides _id, seq and key.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry model
export function slotChainStore<E extends Link, F extends object>(model: Model<any>, slot: (chain: string, seq: number) => string): ChainStore<E, F> {
  const at = (chain: string, seq: number) => model.findById(slot(chain, seq)).lean<E>().exec();
  return {
    head: async (chain, from) => (await searchHead((seq) => at(chain, seq), from ?? 0)).entry,
    byKey: (key) => model.findOne({ key }).lean<E>().exec(),
    insert: async (chain, seq, key, fields) => (await model.create({ ...fields, _id: slot(chain, seq), seq, key })).toObject() as E,
    isDuplicate: isDuplicateKey,
  };
}
