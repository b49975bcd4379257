import { trusted, type Connection } from 'mongoose';
import { rollupMonths, type PeriodRollup } from '../../../core/store/period-rollup';
import { duesEntryModel, type DuesEntryDoc } from '../memberships/dues.model';
import { moneyRollupModel } from './money-rollup.model';
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

type Fact = Pick<DuesEntryDoc, 'day' | 'op' | 'amount' | 'libraryId' | 'planId' | 'method' | 'billed' | 'dueDelta'>;

const rowOf = (f: Fact): MoneyRow => ({
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
    async facts(fromDay, toDay) {
      const facts = await duesEntryModel(conn)
        .find({ day: trusted({ $gte: fromDay, $lte: toDay }) }, { day: 1, op: 1, amount: 1, libraryId: 1, planId: 1, method: 1, billed: 1, dueDelta: 1 })
        .lean<Fact[]>();
      const byDay = new Map<string, MoneyRow[]>();
      for (const f of facts) {
        const rows = byDay.get(f.day!) ?? [];
        rows.push(rowOf(f));
        byDay.set(f.day!, rows);
      }
      return byDay;
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
 * The first month with money facts (null: none yet), where running outstanding amounts
 * start. Looked up once and kept in `money_rollups` ('first'): facts are stamped with
 * the day they are written, so no earlier one can appear later.
 */
export async function firstMoneyMonth(conn: Connection, now: Date): Promise<string | null> {
  const Rollups = moneyRollupModel(conn);
  const kept = await Rollups.findById('first').lean<{ rows: string[] }>();
  if (kept) return kept.rows[0] ?? null;
  const first = await duesEntryModel(conn)
    .findOne({ day: trusted({ $gte: '0000' }) }, { month: 1 })
    .sort({ day: 1 })
    .lean<{ month?: string }>();
  if (!first?.month) return null;
  await Rollups.create({ _id: 'first', rows: [first.month], builtAt: now }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  return first.month;
}

/** Money rows per month [fromMonth, toMonth] (closed months from their stored rollup). */
export const moneyMonths = (conn: Connection, fromMonth: string, toMonth: string, now: Date) => rollupMonths(moneyRollup(conn), fromMonth, toMonth, now);
