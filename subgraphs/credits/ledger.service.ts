import { trusted, Types, type Connection, type Model } from 'mongoose';
import { AppError, conflict } from '../../core/errors';
import { appendOnce } from '../../core/store/append-chain';
import { slotChainStore } from '../../core/store/slot-chain-store';
import { istDay } from '../../core/tenant-time';
import { CHANNELS, type Channel } from './channel.type';
import { recordUsageFact } from './report.service';
import { ledgerModel, masterLedgerModel, type LedgerDoc, type LedgerReason } from './ledger.model';
import { masterWalletModel, WALLET_ID, walletModel, type WalletDoc } from './wallet.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

/**
 * Credit movements, exact under concurrency, retries and crashes, with no transactions.
 *
 * Why not "one conditional findOneAndUpdate + $inc" on the wallet: FerretDB 1.24 runs
 * findAndModify/update as read → modify in memory → write back, with nothing around
 * it. Measured on the test server: 50 concurrent `$inc: 1` left 19; 50 concurrent
 * `{ n: { $gte: 1 } } → $inc -1` on n = 20 all "succeeded". What FerretDB does
 * enforce atomically is a unique index on insert (`_id` and declared unique keys).
 *
 * So every channel's balance is a chain of ledger entries with _id '<channel>:<seq>'
 * (seq 1, 2, 3... without gaps), each carrying `balanceAfter = previous + delta`.
 * A movement is ONE insert of the next link:
 *   1. read the head (seq H, balance B) — any entry read is a real, settled state;
 *   2. debit that would go below zero → record a 'rejected' entry under the key, throw;
 *   3. insert { _id: '<channel>:<H+1>', key, balanceAfter: B + delta }.
 * The `_id` is unique: if anything was appended after H, the insert fails (so B was
 * stale) and we move to the new head and retry — a debit can never overdraw and no
 * two movements can build on the same balance. The `key` is unique: the same movement
 * can never be recorded twice; a retry finds the first outcome and returns it.
 * Crash safety: a movement is one document, so it either happened or it did not;
 * nothing is ever half applied and no reconciliation is needed. Invariant, per channel:
 *   balance == head.balanceAfter == sum(delta of applied entries)   (by induction).
 *
 * The `wallets` document only remembers where the heads were last seen (a hint, so
 * finding the head costs ~2 lookups by _id instead of a scan). A crash before it is
 * updated, or a lost update, only makes it lag; reads verify and repair it.
 *
 * The same logic runs over any "book" (a ledger collection + its hint document): each
 * tenant database has one (tenantBook), the platform database has the master wallet
 * (masterBook). Moving credits between two books is transfer.service.ts.
 *
 * The chain mechanics (head search from the hint, E11000 → re-read and retry, the
 * contention budget) are core/store/append-chain.ts over slot-chain-store.ts; this
 * file says what a credit movement is.
 */

/** A set of per-channel chains: the ledger collection and the document holding head hints. */
export interface Book {
  ledger: Model<LedgerDoc>;
  hints: Model<WalletDoc>;
  /** After an entry is applied (and again when a retry finds it the same day): the usage facts of a tenant's book. */
  onApplied?: (entry: LedgerDoc) => Promise<void>;
}

export const tenantBook = (conn: Connection): Book => ({ ledger: ledgerModel(conn), hints: walletModel(conn), onApplied: (e) => recordUsageFact(conn, e) });
export const masterBook = (platform: Connection): Book => ({ ledger: masterLedgerModel(platform), hints: masterWalletModel(platform) });

export interface Movement {
  key: string;
  /** Input field the key came from, for CONFLICT errors. */
  keyField: string;
  channel: Channel;
  delta: number;
  reason: LedgerReason;
  reference: string;
  note?: string;
  createdBy?: string;
  /** Compared on a retry of the key, like channel/delta/reason (tenant, vendor or package id). */
  target?: string;
  /** Fields fixed at write time (e.g. revenue); `derive` computes the ones that depend on the head. */
  fields?: Partial<Pick<LedgerDoc, 'revenuePaise' | 'costPaise'>>;
  derive?: (head: Head) => Partial<Pick<LedgerDoc, 'lowCrossed' | 'costPaise' | 'inventoryPaise'>>;
  /**
   * Default true: a refused debit is recorded under its key, so the key answers the same forever.
   * Transfers from the master wallet pass false: refused for lack of stock, the same key (e.g.
   * a payment) may succeed once the platform restocks.
   */
  recordRejection?: boolean;
}

export interface MovementResult {
  entryId: string;
  channel: Channel;
  balanceAfter: number;
  /** The recorded entry (on a retry: the first outcome). */
  entry: LedgerDoc;
}

/** A channel's state: the last link of its chain (seq 0 = no entry yet, balance 0). */
export interface Head {
  seq: number;
  balance: number;
  at?: Date;
  /** Master chains: value at cost of the balance (weighted average cost). */
  inventory: number;
}

export interface WalletState {
  heads: Record<Channel, Head>;
  updatedAt?: Date;
  thresholds: Partial<Record<Channel, number>>;
}

const insufficient = (channel: Channel) => new AppError('INSUFFICIENT_BALANCE', `Not enough ${channel.toUpperCase()} credits`);

/** The wallet document, created on first use by an insert-only upsert (all zero). */
export async function snapshot(book: Book): Promise<WalletDoc> {
  const Wallet = book.hints;
  const found = await Wallet.findById(WALLET_ID).lean<WalletDoc>();
  if (found) return found;
  try {
    const zero = { sms: 0, whatsapp: 0, email: 0, seq: { sms: 0, whatsapp: 0, email: 0 } };
    return (await Wallet.findOneAndUpdate({ _id: WALLET_ID }, { $setOnInsert: zero }, { upsert: true, returnDocument: 'after' }).lean<WalletDoc>())!;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err; // two first uses raced: the other created it
    return (await Wallet.findById(WALLET_ID).lean<WalletDoc>())!;
  }
}

/** A book's channel chains as the append-chain engine sees them (entries addressed '<channel>:<seq>'). */
type LedgerFields = Omit<LedgerDoc, '_id' | 'seq' | 'key' | 'createdAt' | 'updatedAt'>;
const chainsOf = (book: Book) => slotChainStore<LedgerDoc, LedgerFields>(book.ledger, (c, seq) => slotId(c as Channel, seq));

const headOf = (e: LedgerDoc | null): Head => ({ seq: e?.seq ?? 0, balance: e?.balanceAfter ?? 0, at: e?.createdAt, inventory: e?.inventoryPaise ?? 0 });

/** The head of a channel's chain, searched from `hint` (core/store/head-search.ts). */
export const findHead = async (book: Book, channel: Channel, hint: number): Promise<Head> => headOf(await chainsOf(book).head(channel, hint));

/** Remembers a head. Last writer wins; a stale hint only costs a few more lookups. */
async function saveHint(book: Book, channel: Channel, head: Pick<Head, 'seq' | 'balance'>): Promise<void> {
  await book.hints.updateOne({ _id: WALLET_ID }, { $set: { [`seq.${channel}`]: head.seq, [channel]: head.balance } });
}

/** One wallet's reads, each done at most once and a channel's head only when asked for. */
export interface WalletReads {
  doc(): Promise<WalletDoc>;
  head(channel: Channel): Promise<Head>;
}

/** Lazy reads of a wallet: a dashboard showing only SMS costs 3 lookups, not 7. A lagging hint is repaired as its head is found. */
export function walletReads(book: Book): WalletReads {
  let doc: Promise<WalletDoc> | undefined;
  const heads = new Map<Channel, Promise<Head>>();
  const reads: WalletReads = {
    doc: () => (doc ??= snapshot(book)),
    head: (c) => {
      let h = heads.get(c);
      if (!h) {
        h = reads.doc().then(async (w) => {
          const found = await findHead(book, c, w.seq?.[c] ?? 0);
          if (found.seq !== (w.seq?.[c] ?? 0) || found.balance !== w[c]) await saveHint(book, c, found);
          return found;
        });
        heads.set(c, h);
      }
      return h;
    },
  };
  return reads;
}

/** Latest change over the given heads. */
export const lastChange = (heads: Head[]): Date | undefined => {
  const t = Math.max(...heads.map((h) => h.at?.getTime() ?? 0));
  return t ? new Date(t) : undefined;
};

/** Current balances of every channel (from the chains, not the snapshot), repairing a lagging snapshot. */
export async function readWallet(book: Book): Promise<WalletState> {
  const r = walletReads(book);
  const w = await r.doc();
  const found = await Promise.all(CHANNELS.map((c) => r.head(c)));
  const heads = Object.fromEntries(CHANNELS.map((c, i) => [c, found[i]])) as Record<Channel, Head>;
  return { heads, updatedAt: lastChange(found), thresholds: w.thresholds ?? {} };
}

/** The recorded outcome of a key, as the answer to a retry (null: no entry). */
function outcomeOf(e: LedgerDoc | null, m: Movement): MovementResult | null {
  if (!e) return null;
  if (e.channel !== m.channel || e.delta !== m.delta || e.reason !== m.reason || (e.target ?? undefined) !== m.target) {
    throw conflict(`${m.keyField} was already used for a different request`, m.keyField);
  }
  if (e.status === 'rejected') throw insufficient(e.channel);
  return { entryId: e._id, channel: e.channel, balanceAfter: e.balanceAfter, entry: e };
}

/**
 * Performs one credit movement exactly once per `key`, or throws (INSUFFICIENT_BALANCE for debits).
 * The chain engine (core/store/append-chain.ts) judges it against the real head and retries lost races.
 */
export async function applyMovement(book: Book, m: Movement): Promise<MovementResult> {
  const day = istDay(new Date());
  const base = {
    channel: m.channel,
    delta: m.delta,
    reason: m.reason,
    reference: m.reference,
    note: m.note,
    createdBy: m.createdBy,
    target: m.target,
    day,
    month: day.slice(0, 7),
    ...m.fields,
  };
  let refused: { head: Head; error: AppError } | undefined;
  let result: { entry: LedgerDoc; created: boolean };
  try {
    result = await appendOnce(
      chainsOf(book),
      m.channel,
      m.key,
      (e) => {
        const head = headOf(e);
        const balanceAfter = head.balance + m.delta;
        if (balanceAfter < 0) {
          refused = { head, error: insufficient(m.channel) };
          throw refused.error;
        }
        // Everything derived from the head (cost, threshold crossing) is fixed with the link itself.
        return { ...base, ...m.derive?.(head), balanceAfter, status: 'applied' as const };
      },
      { from: (await snapshot(book)).seq?.[m.channel] ?? 0, lookFirst: false, busy: 'Credits are busy, try again' },
    );
  } catch (err) {
    // Refused against a real state of the chain (no twin held the key then). Recorded under the
    // key so a retry gets the same answer; if a concurrent twin recorded an outcome first, it stands.
    if (!refused || err !== refused.error || m.recordRejection === false) throw err;
    const rejected = {
      _id: `rejected:${new Types.ObjectId().toHexString()}`,
      key: m.key,
      ...base,
      balanceAfter: refused.head.balance,
      status: 'rejected' as const,
    };
    try {
      await book.ledger.create(rejected);
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
      const first = outcomeOf(await entryByKey(book, m.key), m);
      if (first) return first;
    }
    throw err;
  }
  const { entry, created } = result;
  // A retry the same day heals a crash between the entry and its fact; later, the day's sums are stored.
  if (book.onApplied && entry.status === 'applied' && (created || entry.day === day)) await book.onApplied(entry);
  if (!created) return outcomeOf(entry, m)!;
  // Only a hint: the movement is already complete, so a failure here must not fail the request.
  await saveHint(book, m.channel, { seq: entry.seq!, balance: entry.balanceAfter }).catch(() => undefined);
  return { entryId: entry._id, channel: m.channel, balanceAfter: entry.balanceAfter, entry };
}

/** The movement recorded under `key`, if any (e.g. the debit a refund gives back). */
export const entryByKey = (book: Book, key: string) => book.ledger.findOne({ key }).lean<LedgerDoc>();

/** _id of an applied entry: '<channel>:<seq>'. */
export const slotId = (channel: Channel, seq: number) => `${channel}:${seq}`;

export const toLedgerEntry = (d: LedgerDoc) => ({
  id: d._id,
  channel: d.channel,
  delta: d.delta,
  balanceAfter: d.balanceAfter,
  reason: d.reason,
  reference: d.reference,
  note: d.note,
  createdAt: d.createdAt,
});

/**
 * Applied entries, newest first: the last `first` links of each chain, read by _id
 * from the heads (`heads` from readWallet), merged by time when no channel is given.
 */
export async function listLedger(ledger: Model<LedgerDoc>, heads: Record<Channel, number>, first: number, channel?: Channel) {
  const ids = (channel ? [channel] : CHANNELS).flatMap((c) => Array.from({ length: Math.min(first, heads[c]) }, (_, i) => slotId(c, heads[c] - i)));
  if (!ids.length) return [];
  const docs = await ledger.find({ _id: trusted({ $in: ids }) }).lean<LedgerDoc[]>();
  const bySeq = (a: LedgerDoc, b: LedgerDoc) => (b.seq ?? 0) - (a.seq ?? 0);
  docs.sort(channel ? bySeq : (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || bySeq(a, b));
  return docs.slice(0, first).map(toLedgerEntry);
}
