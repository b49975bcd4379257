import { setTimeout as sleep } from 'node:timers/promises';
import { Types, type Connection } from 'mongoose';
import { AppError, conflict } from '../../core/errors';
import { CHANNELS, type Channel } from './channel';
import { ledgerModel, slotId, type LedgerDoc, type LedgerReason } from './ledger.model';
import { WALLET_ID, walletModel, type WalletDoc } from './wallet.model';

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
 */

/** Give up (nothing written) if a channel is this contended for this long. */
const CONTENTION_BUDGET_MS = 15_000;

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
}

export interface MovementResult {
  entryId: string;
  channel: Channel;
  balanceAfter: number;
}

/** A channel's state: the last link of its chain (seq 0 = no entry yet, balance 0). */
export interface Head {
  seq: number;
  balance: number;
  at?: Date;
}

export interface WalletState {
  heads: Record<Channel, Head>;
  updatedAt?: Date;
}

const insufficient = (channel: Channel) =>
  new AppError('INSUFFICIENT_BALANCE', `Not enough ${channel.toUpperCase()} credits`);

/** The wallet document, created on first use by an insert-only upsert (all zero). */
async function snapshot(conn: Connection): Promise<WalletDoc> {
  const Wallet = walletModel(conn);
  const found = await Wallet.findById(WALLET_ID).lean<WalletDoc>();
  if (found) return found;
  try {
    const zero = { sms: 0, whatsapp: 0, email: 0, seq: { sms: 0, whatsapp: 0, email: 0 } };
    return (await Wallet.findOneAndUpdate({ _id: WALLET_ID }, { $setOnInsert: zero }, { upsert: true, returnDocument: 'after' })
      .lean<WalletDoc>())!;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err; // two first uses raced: the other created it
    return (await Wallet.findById(WALLET_ID).lean<WalletDoc>())!;
  }
}

const entryAt = (conn: Connection, channel: Channel, seq: number) =>
  ledgerModel(conn).findById(slotId(channel, seq)).lean<LedgerDoc>();

/**
 * The head of a channel's chain, searched from `hint`. Links are never removed and
 * the chain has no gaps, so "seq exists" is monotone: gallop forward, then bisect.
 * A hint that does not exist (tampered snapshot) falls back to the start.
 */
export async function findHead(conn: Connection, channel: Channel, hint: number): Promise<Head> {
  let base = hint > 0 ? await entryAt(conn, channel, hint) : null;
  let lo = base ? hint : 0;
  let hi = 0;
  for (let step = 1; !hi; step *= 2) {
    const e = await entryAt(conn, channel, lo + step);
    if (e) [lo, base] = [lo + step, e];
    else hi = lo + step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await entryAt(conn, channel, mid);
    if (e) [lo, base] = [mid, e];
    else hi = mid;
  }
  return { seq: lo, balance: base?.balanceAfter ?? 0, at: base?.createdAt };
}

/** Remembers a head. Last writer wins; a stale hint only costs a few more lookups. */
async function saveHint(conn: Connection, channel: Channel, head: Head): Promise<void> {
  await walletModel(conn).updateOne({ _id: WALLET_ID }, { $set: { [`seq.${channel}`]: head.seq, [channel]: head.balance } });
}

/** Current balances (from the chains, not the snapshot), repairing a lagging snapshot. */
export async function readWallet(conn: Connection): Promise<WalletState> {
  const w = await snapshot(conn);
  const found = await Promise.all(CHANNELS.map((c) => findHead(conn, c, w.seq?.[c] ?? 0)));
  const heads = Object.fromEntries(CHANNELS.map((c, i) => [c, found[i]])) as Record<Channel, Head>;
  for (const c of CHANNELS) {
    if (heads[c].seq !== (w.seq?.[c] ?? 0) || heads[c].balance !== w[c]) await saveHint(conn, c, heads[c]);
  }
  const times = found.map((h) => h.at?.getTime() ?? 0);
  return { heads, updatedAt: Math.max(...times) ? new Date(Math.max(...times)) : undefined };
}

/** Inserts one ledger document; false if a unique index (_id or key) refused it. */
async function tryInsert(conn: Connection, doc: Omit<LedgerDoc, 'createdAt' | 'updatedAt'>): Promise<boolean> {
  try {
    await ledgerModel(conn).create(doc);
    return true;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return false;
    throw err;
  }
}

/** The recorded outcome of a key, as the answer to a retry (null: no entry). */
function outcomeOf(e: LedgerDoc | null, m: Movement): MovementResult | null {
  if (!e) return null;
  if (e.channel !== m.channel || e.delta !== m.delta || e.reason !== m.reason) {
    throw conflict(`${m.keyField} was already used for a different request`, m.keyField);
  }
  if (e.status === 'rejected') throw insufficient(e.channel);
  return { entryId: e._id, channel: e.channel, balanceAfter: e.balanceAfter };
}

/** Performs one credit movement exactly once per `key`, or throws (INSUFFICIENT_BALANCE for debits). */
export async function applyMovement(conn: Connection, m: Movement): Promise<MovementResult> {
  const Ledger = ledgerModel(conn);
  const base = { key: m.key, channel: m.channel, delta: m.delta, reason: m.reason, reference: m.reference, note: m.note, createdBy: m.createdBy };
  let head = await findHead(conn, m.channel, (await snapshot(conn)).seq?.[m.channel] ?? 0);
  const deadline = Date.now() + CONTENTION_BUDGET_MS;
  for (let attempt = 1; ; attempt++) {
    const balanceAfter = head.balance + m.delta;
    if (balanceAfter < 0) {
      // Judged against a real state of the chain. Recorded under the key so a retry gets the
      // same answer; if the key already has an outcome (a concurrent twin), that one stands.
      const id = `rejected:${new Types.ObjectId().toHexString()}`;
      if (await tryInsert(conn, { _id: id, ...base, balanceAfter: head.balance, status: 'rejected' })) throw insufficient(m.channel);
      const first = outcomeOf(await Ledger.findOne({ key: m.key }).lean<LedgerDoc>(), m);
      if (first) return first;
      throw insufficient(m.channel);
    }
    const seq = head.seq + 1;
    // The movement itself: succeeds only if `head` is still the last link and the key is new.
    if (await tryInsert(conn, { _id: slotId(m.channel, seq), ...base, seq, balanceAfter, status: 'applied' })) {
      // Only a hint: the movement is already complete, so a failure here must not fail the request.
      await saveHint(conn, m.channel, { seq, balance: balanceAfter }).catch(() => undefined);
      return { entryId: slotId(m.channel, seq), channel: m.channel, balanceAfter };
    }
    // Refused: either the slot is taken (someone appended first) or the key is (a retry).
    const taken = await entryAt(conn, m.channel, seq);
    if (taken?.key === m.key) return outcomeOf(taken, m)!;
    if (!taken) {
      const first = outcomeOf(await Ledger.findOne({ key: m.key }).lean<LedgerDoc>(), m);
      if (first) return first;
    }
    if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', 'Credits are busy, try again');
    // Jitter spreads contending requests so one of them wins each round.
    await sleep(Math.random() * Math.min(40, 2 * attempt));
    head = await findHead(conn, m.channel, taken ? seq : head.seq);
  }
}

/** The movement recorded under `key`, if any (e.g. the debit a refund gives back). */
export const entryByKey = (conn: Connection, key: string) => ledgerModel(conn).findOne({ key }).lean<LedgerDoc>();
