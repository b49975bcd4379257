import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../errors';
import { isDuplicateKey } from './duplicate-key';

/**
 * The append-only chain: one chain per key (a student's dues, a membership, a
 * credits channel, a payment's refunds), entries seq 1, 2, 3... each carrying the
 * running state after it. Why: FerretDB applies no conditional update atomically
 * and has no transactions, but it does enforce unique indexes on insert. A change
 * is ONE insert of the next entry, judged against the head it read: a unique
 * (chain, seq) index lets one writer per position win; the losers re-read the
 * head and judge again. A unique `key` per entry makes each change idempotent (a
 * retry or a concurrent twin finds the entry already written). The one engine
 * for every ledger; stores: mongo-chain-store.ts, slot-chain-store.ts.
 */

/** What every entry carries: its position in its chain and its idempotency key. */
export interface Link {
  /** Absent only on entries a store keeps beside the chain (e.g. a recorded refusal). */
  seq?: number;
  /** Idempotency key, unique across the collection. */
  key: string;
}

/** The entry shape of mongoChainStore: chain name and the full running state. */
export interface ChainEntry<S> extends Link {
  chain: string;
  seq: number;
  state: S;
}

/** Everything of the next entry except what the store fills in (chain, seq, key). */
export type NextEntry<E> = Omit<E, 'chain' | 'seq' | 'key'>;

/** Where entries live: a Mongo collection in production, a map in unit tests. F: what `next` decides. */
export interface ChainStore<E extends Link, F = NextEntry<E>> {
  /** The last entry of `chain` (null: empty). `from`: a seq believed to exist, where a search may start. */
  head(chain: string, from?: number): Promise<E | null>;
  byKey(key: string): Promise<E | null>;
  /** Writes entry `seq` of `chain`; must fail with a duplicate-key error when (chain, seq) or key is taken. */
  insert(chain: string, seq: number, key: string, fields: F): Promise<E>;
  isDuplicate(err: unknown): boolean;
}

export interface AppendOptions {
  /** How long to keep retrying under contention before SERVICE_UNAVAILABLE (default 15 s). */
  budgetMs?: number;
  /** The SERVICE_UNAVAILABLE message when the budget runs out. */
  busy?: string;
  /** Where the first head search starts (a seq known to exist, e.g. a summary's copy of the head). */
  from?: number;
  /**
   * Default true: look the key up before reading the head. False when the caller has
   * just done so, or where a repeat is rare: a written key still wins, found when the
   * insert fails on it.
   */
  lookFirst?: boolean;
}

/**
 * Appends the entry `next(head)` decides, once per `key`. `next` sees the real
 * head (null for an empty chain) and may throw to refuse; it runs again after
 * each lost race. Returns the entry under the key: ours (created) or the one an
 * earlier or concurrent twin wrote (not created; `next` never ran for it).
 */
export async function appendOnce<E extends Link, F = NextEntry<E>>(
  store: ChainStore<E, F>,
  chain: string,
  key: string,
  next: (head: E | null) => F,
  opts: AppendOptions = {},
): Promise<{ entry: E; created: boolean }> {
  if (opts.lookFirst !== false) {
    const existing = await store.byKey(key);
    if (existing) return { entry: existing, created: false };
  }
  const deadline = Date.now() + (opts.budgetMs ?? 15_000);
  let head = await store.head(chain, opts.from);
  for (let attempt = 1; ; attempt++) {
    let fields: F;
    try {
      fields = next(head);
    } catch (err) {
      // Refused against a head that may hold our own twin (same key, written meanwhile): that is our answer.
      const twin = await store.byKey(key);
      if (twin) return { entry: twin, created: false };
      throw err;
    }
    const seq = (head?.seq ?? 0) + 1;
    try {
      return { entry: await store.insert(chain, seq, key, fields), created: true };
    } catch (err) {
      if (!store.isDuplicate(err)) throw err;
    }
    const twin = await store.byKey(key);
    if (twin) return { entry: twin, created: false };
    if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', opts.busy ?? 'This ledger is busy, try again');
    // Jitter spreads contending writers so one of them wins each round.
    await sleep(Math.random() * Math.min(40, 2 * attempt));
    head = await store.head(chain, seq); // `seq` is taken (the key was not): the head is there or later
  }
}

/**
 * Copies the chain head onto a projection (a summary document). Last writer
 * wins, so after writing we look again: a writer that appended later re-reads
 * after its own write, and a head we missed is written again here.
 */
export async function syncProjection<E extends Link>(
  store: Pick<ChainStore<E, never>, 'head'>,
  chain: string,
  write: (head: E) => Promise<void>,
  from?: number,
): Promise<void> {
  // Concurrent first writes upsert a projection that does not exist yet: on FerretDB (and MongoDB
  // for keys other than _id) one of them can fail with a duplicate key. The document is there
  // then, so writing again is a plain update.
  const writeOnce = async (h: E) => {
    try {
      await write(h);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await write(h);
    }
  };
  let head = await store.head(chain, from);
  for (let i = 0; head && i < 20; i++) {
    await writeOnce(head);
    const again = await store.head(chain, head.seq);
    if (!again || again.seq === head.seq) return;
    head = again;
  }
}
