import { trusted, Types, type Connection } from 'mongoose';
import { dayClosed, lastDayOf, monthClosed, restateClosed, sumRows, type Built } from '../../../core/store/period-rollup';
import { istDay } from '../../../core/tenant-time';
import { paymentModel, type PaymentDoc } from '../fees/payment.model';
import { emptyDues, type DuesState } from '../memberships/dues-ledger.service';
import { duesEntryModel, type DuesEntryDoc } from '../memberships/dues.model';
import { withFacts, type Attribution } from '../memberships/dues.service';
import { membershipModel } from '../memberships/membership.model';
import { moneyFactModel } from './money-fact.model';
import { moneyCheckpointModel } from './money-rollup.model';
import { firstMoneyMonth, moneyRollup, recordMoneyFact, rowOf, setFirstMoneyMonth, type MoneyRow } from './money-rollup.service';

/** Dues entries written before the money analytics: no facts stamped on them. */
const unstamped = { day: trusted({ $exists: false }) };

/**
 * Progress of the backfill (`money_rollup_checkpoints` 'backfill'): 'stamping' from the
 * first stamp until the sums are restated, so a run that died in between restates them
 * on the next run, though every entry is stamped by then.
 */
const PROGRESS = 'backfill';
const progressOf = async (conn: Connection) => (await moneyCheckpointModel(conn).findById(PROGRESS).lean<{ rows: string[] }>())?.rows[0] ?? null;
const setProgress = (conn: Connection, state: 'stamping' | 'done') =>
  moneyCheckpointModel(conn).updateOne({ _id: PROGRESS }, { $set: { rows: [state], builtAt: new Date() } }, { upsert: true });

/** Entries still without facts, plus 1 while a run that died has sums left to restate. */
export async function moneyBackfillPending(conn: Connection): Promise<number> {
  return (await duesEntryModel(conn).countDocuments(unstamped)) + ((await progressOf(conn)) === 'stamping' ? 1 : 0);
}

/**
 * Gives the dues entries written before the money analytics their facts, so collections
 * and revenue reports cover a tenant's whole history (migration 008). Each entry is
 * stamped as the app would have stamped it, but with the day of the entry (`at`) rather
 * than of a write long gone; a payment's library and method come from the payment, its
 * plan from the ledger's state or the membership running that day, a refund's from its
 * payment. Then the periods those entries fall in are summed again from the ledger (all
 * their entries, old and new) and restated; open days get their facts like live ones.
 * Idempotent: only unstamped entries are stamped (and flagged `backfilled`), and the sums
 * of every day with a backfilled entry are recomputed, not added; a run that died after
 * stamping restates them on the next run (the 'backfill' progress mark). Returns the entries stamped.
 */
export async function backfillMoneyFacts(conn: Connection, now = new Date()): Promise<number> {
  if (!(await moneyBackfillPending(conn))) return 0;
  await setProgress(conn, 'stamping');
  const rollup = moneyRollup(conn);
  const rowsByDay = new Map<string, MoneyRow[]>();
  const touched = new Set<string>();
  const openDayEntries: DuesEntryDoc[] = [];
  let stamped = 0;
  let chain = '';
  let before: DuesState = emptyDues();
  let paid = new Map<string, Attribution>();
  let history = studentHistory(conn, '');
  const cursor = duesEntryModel(conn).find({}).sort({ chain: 1, seq: 1 }).lean<DuesEntryDoc>().cursor();
  for await (const e of cursor) {
    if (e.chain !== chain) [chain, before, paid, history] = [e.chain, emptyDues(), new Map(), studentHistory(conn, e.chain)];
    let entry = e;
    if (!e.day) {
      entry = { ...e, ...withFacts(before, e, await attributionOf(e, before, paid, history), e.at) };
      const { day, month, libraryId, billed, dueDelta, method, planId } = entry;
      const set = Object.fromEntries(Object.entries({ day, month, libraryId, billed, dueDelta, method, planId }).filter(([, v]) => v !== undefined));
      const r = await duesEntryModel(conn).updateOne({ _id: (e as { _id?: unknown })._id, ...unstamped }, { $set: { ...set, backfilled: true } });
      stamped += r.modifiedCount;
    }
    // Every day holding a backfilled entry, from this run or one that died before restating.
    if (e.backfilled || !e.day) {
      touched.add(entry.day!);
      if (!dayClosed(rollup, entry.day!, now)) openDayEntries.push(entry);
    }
    if (e.op === 'PAYMENT' && e.paymentId) paid.set(e.paymentId, { libraryId: entry.libraryId, method: entry.method, planId: entry.planId });
    // Summed as they come: memory grows with days × (library, plan, method), not with entries.
    rowsByDay.set(entry.day!, sumRows(rollup, [...(rowsByDay.get(entry.day!) ?? []), rowOf(entry)]));
    before = e.state;
  }
  await restate(conn, rowsByDay, touched, now);
  for (const e of openDayEntries) await recordMoneyFact(conn, e);
  const earliest = [...touched].sort()[0]?.slice(0, 7);
  const first = await firstMoneyMonth(conn);
  if (earliest && (!first || earliest < first)) await setFirstMoneyMonth(conn, earliest);
  await setProgress(conn, 'done');
  return stamped;
}

/** The sums of every closed day and month with a stamped entry, recomputed from all their entries. */
async function restate(conn: Connection, rowsByDay: Map<string, MoneyRow[]>, touched: Set<string>, now: Date) {
  const rollup = moneyRollup(conn);
  const docs: Built<MoneyRow>[] = [];
  const closedDays = [...touched].filter((d) => dayClosed(rollup, d, now));
  for (const d of closedDays) docs.push({ _id: `d:${d}`, rows: sumRows(rollup, rowsByDay.get(d) ?? []), builtAt: now });
  for (const m of new Set([...touched].map((d) => d.slice(0, 7)))) {
    if (!monthClosed(rollup, m, now)) continue;
    const rows = [...rowsByDay].filter(([d]) => d.startsWith(m) && d <= lastDayOf(m)).flatMap(([, r]) => r);
    docs.push({ _id: `m:${m}`, rows: sumRows(rollup, rows), builtAt: now });
  }
  await restateClosed(rollup, docs);
  // Their facts are in the restated sums now (the live read never reads a closed day's facts).
  if (closedDays.length) await moneyFactModel(conn).deleteMany({ day: trusted({ $in: closedDays }) });
}

/**
 * One student's payments and memberships, each read once (on its first need) for the whole
 * chain: an old ledger is stamped with two queries per student, not one or two per entry.
 */
function studentHistory(conn: Connection, studentId: string) {
  let payments: Promise<Map<string, PaymentDoc>> | null = null;
  let memberships: Promise<{ startDate: string; planId?: string }[]> | null = null;
  return {
    payment: async (id: string) =>
      (
        await (payments ??= paymentModel(conn)
          .find({ studentId: new Types.ObjectId(studentId) }, { libraryId: 1, method: 1 })
          .lean<PaymentDoc[]>()
          .then((list) => new Map(list.map((p) => [p._id.toHexString(), p]))))
      ).get(id),
    /** The plan of the student's latest membership started by `day` (null: none). */
    planOn: async (day: string) =>
      (
        await (memberships ??= membershipModel(conn)
          .find({ studentId }, { startDate: 1, planId: 1 })
          .sort({ startDate: -1 })
          .lean<{ startDate: string; planId?: string }[]>()
          .exec())
      ).find((m) => m.startDate <= day)?.planId ?? null,
  };
}

/** Whom an old entry's money is attributed to (see Attribution): as the app does for a new one. */
async function attributionOf(
  e: DuesEntryDoc,
  before: DuesState,
  paid: Map<string, Attribution>,
  history: ReturnType<typeof studentHistory>,
): Promise<Attribution> {
  if (e.op === 'REFUND') return (e.paymentId && paid.get(e.paymentId)) || {};
  if (e.op !== 'PAYMENT' || !e.paymentId) return {};
  const p = await history.payment(e.paymentId);
  const planId = e.planId ?? before.planId ?? (await history.planOn(istDay(e.at)));
  return { libraryId: p?.libraryId?.toHexString(), method: p?.method, planId: planId ?? undefined };
}
