import { setTimeout as sleep } from 'node:timers/promises';
import type { Model } from 'mongoose';
import { AppError } from '../errors';
import { isDuplicateKey } from '../tenancy/db';

/**
 * The append-only chain: one chain per key (a student's dues, a membership),
 * entries seq 1, 2, 3... each carrying the FULL running state after it. Why:
 * FerretDB applies no conditional update atomically and has no transactions,
 * but it does enforce unique indexes on insert. A change is ONE insert of the
 * next entry, judged against the head it read: a unique (chain, seq) index lets
 * one writer per position win; the losers re-read the head and judge again. A
 * unique `key` per entry makes each change idempotent (a retry or a concurrent
 * twin finds the entry already written). Same reasoning as the credits wallet
 * and the refund chain, written once here for the newer ledgers.
 */
export interface ChainEntry<S> {
  chain: string;
  seq: number;
  /** Idempotency key, unique across the collection. */
  key: string;
  state: S;
}

/** Where entries live: a Mongo model in production, a map in unit tests. */
export interface ChainStore<E extends ChainEntry<unknown>> {
  head(chain: string): Promise<E | null>;
  byKey(key: string): Promise<E | null>;
  /** Must fail with a duplicate-key error when (chain, seq) or key is taken. */
  insert(entry: E): Promise<void>;
  isDuplicate(err: unknown): boolean;
}

/** A collection with unique indexes on { chain, seq } and { key }. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any entry model
export function mongoChainStore<E extends ChainEntry<unknown>>(model: Model<any>): ChainStore<E> {
  return {
    head: (chain) => model.findOne({ chain }).sort({ seq: -1 }).lean<E>().exec(),
    byKey: (key) => model.findOne({ key }).lean<E>().exec(),
    insert: async (entry) => { await model.create(entry); },
    isDuplicate: isDuplicateKey,
  };
}

export interface AppendOptions {
  /** How long to keep retrying under contention before SERVICE_UNAVAILABLE. */
  budgetMs?: number;
  /** Names the chain in the busy error. */
  what?: string;
}

/** Everything of the next entry except chain, seq and key. */
export type NextEntry<E extends ChainEntry<unknown>> = Omit<E, 'chain' | 'seq' | 'key'>;

/**
 * Appends the entry `next(head)` decides, once per `key`. `next` sees the real
 * head (null for an empty chain) and may throw to refuse; it runs again after
 * each lost race. Returns the entry under the key: ours (created) or the one an
 * earlier or concurrent twin wrote (not created; `next` never ran for it).
 */
export async function appendOnce<E extends ChainEntry<unknown>>(
  store: ChainStore<E>, chain: string, key: string, next: (head: E | null) => NextEntry<E>, opts: AppendOptions = {},
): Promise<{ entry: E; created: boolean }> {
  const existing = await store.byKey(key);
  if (existing) return { entry: existing, created: false };
  const deadline = Date.now() + (opts.budgetMs ?? 15_000);
  for (let attempt = 1; ; attempt++) {
    const head = await store.head(chain);
    let fields: NextEntry<E>;
    try {
      fields = next(head);
    } catch (err) {
      // Refused against a head that may hold our own twin (same key, written meanwhile): that is our answer.
      const twin = await store.byKey(key);
      if (twin) return { entry: twin, created: false };
      throw err;
    }
    const entry = { ...fields, chain, seq: (head?.seq ?? 0) + 1, key } as E;
    try {
      await store.insert(entry);
      return { entry, created: true };
    } catch (err) {
      if (!store.isDuplicate(err)) throw err;
    }
    const twin = await store.byKey(key);
    if (twin) return { entry: twin, created: false };
    if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', `${opts.what ?? 'This ledger'} is busy, try again`);
    await sleep(Math.random() * Math.min(40, 2 * attempt));
  }
}

/**
 * Copies the chain head onto a projection (a summary document). Last writer
 * wins, so after writing we look again: a writer that appended later re-reads
 * after its own write, and a head we missed is written again here.
 */
export async function syncProjection<E extends ChainEntry<unknown>>(
  store: ChainStore<E>, chain: string, write: (head: E) => Promise<void>,
): Promise<void> {
  let head = await store.head(chain);
  for (let i = 0; head && i < 20; i++) {
    await write(head);
    const again = await store.head(chain);
    if (!again || again.seq === head.seq) return;
    head = again;
  }
}
