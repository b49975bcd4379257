import type { Connection } from 'mongoose';
import { dayIn, rollupMonths, type PeriodRollup } from '../../../core/store/period-rollup';
import { moneyFactModel, type MoneyFactDoc } from './money-fact.model';
import type { DuesEntryDoc } from '../memberships/dues.model';
import { moneyCheckpointModel, moneyRollupModel } from './money-rollup.model';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

/**
 * The money facts of a period, per library, fee plan and payment method (plan and
 * method only on payments and refunds). All paise. From the dues ledger's entries
 * (memberships/dues.service.ts stamps them): each charge, credit, payment and refund
 * is one entry under a unique key, so a retried or twice-delivered payment is one fact.
 */
export interface MoneyRow {
  libraryId: string | null;
  planId: string | null;
  method: string | null;
  /** Dues charged (membership fees, late fees, adjustments) minus credits; deposits excluded. */
  billed: number;
  /** Payments received (deposits and advances included). */
  received: number;
  /** Refunds processed. */
  refunded: number;
  /** Change of the amount due (dues outstanding) over the period. */
  dueDelta: number;
  payments: number;
  refunds: number;
}

type Fact = Pick<DuesEntryDoc, 'op' | 'amount' | 'libraryId' | 'planId' | 'method' | 'billed' | 'dueDelta'>;

/** The money row of a dues entry (its analytics facts, see DuesEntryDoc). */
export const rowOf = (f: Fact): MoneyRow => ({
  libraryId: f.libraryId ?? null,
  planId: f.op === 'PAYMENT' || f.op === 'REFUND' ? (f.planId ?? null) : null,
  method: f.op === 'PAYMENT' || f.op === 'REFUND' ? (f.method ?? null) : null,
  billed: f.billed ?? 0,
  received: f.op === 'PAYMENT' ? f.amount : 0,
  refunded: f.op === 'REFUND' ? f.amount : 0,
  dueDelta: f.dueDelta ?? 0,
  payments: f.op === 'PAYMENT' ? 1 : 0,
  refunds: f.op === 'REFUND' ? 1 : 0,
});

/** The tenant's money rollup: facts from `dues_entries` (index on day), sums in `money_rollups`. */
export function moneyRollup(conn: Connection): PeriodRollup<MoneyRow> {
  return {
    store: moneyRollupModel(conn),
    checkpoints: moneyCheckpointModel(conn),
    dayCheckpoints: 'open',
    async facts(days) {
      const facts = await moneyFactModel(conn).find(dayIn(days)).lean<MoneyFactDoc[]>();
      const byDay = new Map<string, MoneyRow[]>();
      for (const { _id, day, ...row } of facts) {
        const rows = byDay.get(day) ?? byDay.set(day, []).get(day)!;
        rows.push({ ...row, libraryId: row.libraryId ?? null, planId: row.planId ?? null, method: row.method ?? null });
      }
      return byDay;
    },
    async prune(days) {
      await moneyFactModel(conn).deleteMany(dayIn(days));
    },
    keyOf: (r) => `${r.libraryId ?? ''}|${r.planId ?? ''}|${r.method ?? ''}`,
    add: (a, b) => ({
      ...a,
      billed: a.billed + b.billed,
      received: a.received + b.received,
      refunded: a.refunded + b.refunded,
      dueDelta: a.dueDelta + b.dueDelta,
      payments: a.payments + b.payments,
      refunds: a.refunds + b.refunds,
    }),
  };
}

/**
 * Records the money fact of a new dues entry (and, once per tenant, the first month):
 * idempotent, so a retry that finds its entry written may call it again.
 */
export async function recordMoneyFact(conn: Connection, entry: DuesEntryDoc): Promise<void> {
  if (!entry.day || !entry.month) return; // written before analytics existed
  await moneyFactModel(conn)
    .create({ _id: entry.key, day: entry.day, ...rowOf(entry) })
    .catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  await markMoneyMonth(conn, entry.month);
}

const FIRST = 'first';
/**
 * Tenant database views whose first-month marker this process has seen (once written it
 * only moves earlier, by the backfill of history; this set only remembers that it exists). Keyed by the view, like other per-tenant work (analytics-record.service.ts):
 * an evicted view (core/tenancy/db.ts) takes its entry with it, so nothing grows with the
 * tenants a process has ever served; a fresh view reads the marker once more.
 */
const markedDbs = new WeakSet<Connection>();

/**
 * Remembers the first month with money facts (`money_rollups` 'first'): where running
 * outstanding amounts start. Called for every new dues entry; one insert per tenant
 * database ever (a duplicate means an earlier month is already there: facts are
 * stamped with the day they are written, so no earlier one can come later), and one
 * read per tenant database view held by the process.
 */
export async function markMoneyMonth(conn: Connection, month: string, now = new Date()): Promise<void> {
  if (markedDbs.has(conn)) return;
  const Rollups = moneyCheckpointModel(conn);
  if (!(await Rollups.exists({ _id: FIRST }))) {
    await Rollups.create({ _id: FIRST, rows: [month], builtAt: now }).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
  }
  markedDbs.add(conn);
}

/** Moves the first month earlier: only the backfill of history (money-backfill.service.ts) does. */
export async function setFirstMoneyMonth(conn: Connection, month: string, now = new Date()): Promise<void> {
  await moneyCheckpointModel(conn).updateOne({ _id: FIRST }, { $set: { rows: [month], builtAt: now } }, { upsert: true });
}

/** The first month with money facts (null: none yet). */
export async function firstMoneyMonth(conn: Connection): Promise<string | null> {
  const kept = await moneyCheckpointModel(conn).findById(FIRST).lean<{ rows: string[] }>();
  return kept?.rows[0] ?? null;
}

/** Money rows per month [fromMonth, toMonth] (closed months from their stored rollup). */
export const moneyMonths = (conn: Connection, fromMonth: string, toMonth: string, now: Date) => rollupMonths(moneyRollup(conn), fromMonth, toMonth, now);
