import { Types, type Connection } from 'mongoose';
import { addDays, addMonths, financialYear, istDay, istMidnight, istMonth } from '../../../core/tenant-time';
import { closedRollups, daysIn, rollupDays, rollupMonths } from '../../../core/store/period-rollup';
import {
  addCharge,
  amountDue,
  ChargeKind,
  depositDue,
  emptyDues,
  giveBack,
  oldestDueDate,
  receivePayment,
  type DuesState,
} from '../../../subgraphs/billing/memberships/dues-ledger.service';
import { withFacts } from '../../../subgraphs/billing/memberships/dues.service';
import type { DuesEntryDoc } from '../../../subgraphs/billing/memberships/dues.model';
import { markMoneyMonth, moneyRollup, rowOf, type MoneyRow } from '../../../subgraphs/billing/analytics/money-rollup.service';
import { spendRollup, usageRowOf, type SpendSums } from '../../../subgraphs/credits/report.service';
import type { Channel } from '../../../subgraphs/credits/channel.type';
import type { AnalyticsBenchPart, AnalyticsBenchTenant, AnalyticsCase } from './types';

/**
 * The money part of the analytics benchmark: a year of fees for every student
 * (a monthly charge on the membership's day, most paid within days, some in part,
 * some never, a few refunded), written in bulk in exactly the shape billing writes
 * (dues chains built with the ledger's own pure functions and `withFacts`, payments
 * with invoices, refund links, dues summaries, fee plans, membership heads), and a
 * year of message debits and failed-send refunds in the credits ledger. The
 * rollups are then built by the functions the queries use.
 */
const PLANS = [
  { name: 'Bench Monthly Full Day', price: 150_000 },
  { name: 'Bench Monthly Half Day', price: 90_000 },
];
const METHODS = ['cash', 'upi', 'card', 'online', 'bank_transfer'];
const BATCH = 5_000;
const NOON_MS = 12 * 3600_000;

/** Deterministic pseudo-random numbers in [0, 1): the same history on every run. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

const at = (day: string, minutes = 0) => new Date(istMidnight(day) + NOON_MS + minutes * 60_000);

async function insertAll(conn: Connection, collection: string, docs: object[]) {
  for (let i = 0; i < docs.length; i += BATCH) await conn.collection(collection).insertMany(docs.slice(i, i + BATCH), { ordered: false });
}

interface Event {
  at: Date;
  kind: 'charge' | 'payment' | 'refund';
  amount: number;
  period?: number;
  dueDate?: string;
  payment?: PaymentSeed;
}

interface PaymentSeed {
  _id: Types.ObjectId;
  amount: number;
  method: string;
  paidAt: Date;
  refunded: number;
}

/** One student's year: membership charges, payments and refunds, in time order. */
function studentEvents(random: () => number, startDay: string, lastDay: string, price: number): Event[] {
  const events: Event[] = [];
  for (let period = 1; ; period++) {
    const due = addMonths(startDay, period - 1);
    if (due > lastDay) break;
    events.push({ at: at(due), kind: 'charge', amount: price, period, dueDate: due });
    const r = random();
    if (r < 0.05) continue; // never paid
    const paidDay = addDays(due, Math.floor(random() * 6));
    if (paidDay > lastDay) continue;
    const amount = r < 0.15 ? price / 2 : price;
    const payment: PaymentSeed = {
      _id: new Types.ObjectId(),
      amount,
      method: METHODS[Math.floor(random() * METHODS.length)]!,
      paidAt: at(paidDay, 30),
      refunded: 0,
    };
    events.push({ at: payment.paidAt, kind: 'payment', amount, payment });
    if (random() < 0.01) {
      const refundDay = addDays(paidDay, 3);
      if (refundDay > lastDay) continue;
      payment.refunded = Math.min(30_000, amount);
      events.push({ at: at(refundDay, 60), kind: 'refund', amount: payment.refunded, payment });
    }
  }
  return events;
}

async function seedMoney(t: AnalyticsBenchTenant): Promise<void> {
  const { conn } = t;
  const now = new Date();
  const firstDay = istDay(t.from);
  const lastDay = istDay(new Date(Math.min(t.to.getTime(), now.getTime()) - 1));
  const plans = t.libraryIds.flatMap((libraryId) =>
    PLANS.map((p) => ({
      _id: new Types.ObjectId(),
      libraryId,
      name: p.name,
      duration: 'MONTHLY',
      price: p.price,
      seatKind: 'ANY',
      securityDeposit: 0,
      gstApplicable: true,
      graceDays: 0,
      createdAt: t.from,
      updatedAt: t.from,
    })),
  );
  await insertAll(conn, 'fee_plans', plans);

  const random = rng(20_261_206);
  const counters = new Map<string, number>();
  const invoiceNumber = (paidAt: Date) => {
    const fy = financialYear(paidAt);
    const n = (counters.get(fy) ?? 0) + 1;
    counters.set(fy, n);
    return `INV/${fy}/${String(n).padStart(6, '0')}`;
  };
  // What the app writes beside the ledger: facts of the open days, sums of the closed ones.
  const moneyByDay = new Map<string, MoneyRow[]>(daysIn(firstDay, lastDay).map((d) => [d, []]));
  const closed = (day: string) => closedRollups(moneyRollup(conn), new Map([[day, []]]), now).length > 0;
  let facts: object[] = [];
  let entries: object[] = [];
  let payments: object[] = [];
  let refunds: object[] = [];
  let summaries: object[] = [];
  let memberships: object[] = [];
  const flush = async (force: boolean) => {
    if (!force && entries.length < 50_000) return;
    await insertAll(conn, 'dues_entries', entries);
    await insertAll(conn, 'payments', payments);
    await insertAll(conn, 'payment_refunds', refunds);
    await insertAll(conn, 'dues_summaries', summaries);
    await insertAll(conn, 'memberships', memberships);
    await insertAll(conn, 'money_facts', facts);
    facts = [];
    entries = [];
    payments = [];
    refunds = [];
    summaries = [];
    memberships = [];
  };

  for (const [i, studentOid] of t.studentIds.entries()) {
    const studentId = studentOid.toHexString();
    const libraryOid = t.libraryIds[i % t.libraryIds.length]!;
    const libraryId = libraryOid.toHexString();
    const plan = plans[(i % t.libraryIds.length) * PLANS.length + (i % PLANS.length)]!;
    const planId = plan._id.toHexString();
    const membershipId = new Types.ObjectId().toHexString();
    const startDay = addDays(firstDay, i % 28);
    const events = studentEvents(random, startDay, lastDay, plan.price).sort((a, b) => a.at.getTime() - b.at.getTime());
    let state: DuesState = emptyDues();
    let seq = 0;
    let periods = 0;
    for (const e of events) {
      const before = state;
      let next: Omit<DuesEntryDoc, 'chain' | 'seq' | 'key'>;
      let key: string;
      if (e.kind === 'charge') {
        periods = e.period!;
        const id = `m:${membershipId}:${e.period}`;
        const charge = { id, kind: ChargeKind.MEMBERSHIP, amount: e.amount, dueDate: e.dueDate!, membershipId, graceDays: 0 };
        const r = addCharge(before, charge, libraryId);
        key = id;
        next = withFacts(
          before,
          {
            op: 'CHARGE',
            at: e.at,
            amount: e.amount,
            charge: { ...charge, description: `${plan.name}, period ${e.period}` },
            allocations: r.allocations,
            state: r.state,
          },
          { libraryId },
          e.at,
        );
      } else if (e.kind === 'payment') {
        const p = e.payment!;
        const pid = p._id.toHexString();
        const r = receivePayment(before, pid, p.amount, p.paidAt);
        key = `payment:${pid}`;
        next = withFacts(
          before,
          { op: 'PAYMENT', at: p.paidAt, amount: p.amount, paymentId: pid, allocations: r.allocations, state: r.state },
          { libraryId, method: p.method, planId },
          e.at,
        );
        payments.push({
          _id: p._id,
          studentId: studentOid,
          libraryId: libraryOid,
          amount: p.amount,
          currency: 'INR',
          method: p.method,
          status: p.refunded ? 'partially_refunded' : 'paid',
          idempotencyKey: `bench-${pid}`,
          month: istMonth(p.paidAt),
          paidAt: p.paidAt,
          invoice: { number: invoiceNumber(p.paidAt), issuedAt: p.paidAt },
          ...(p.refunded ? { refundedAmount: p.refunded, refundSeq: 1 } : {}),
          createdAt: p.paidAt,
          updatedAt: p.paidAt,
        });
      } else {
        const p = e.payment!;
        const pid = p._id.toHexString();
        const refundId = `${pid}:1`;
        const r = giveBack(before, refundId, e.amount, istDay(e.at));
        key = `refund:${refundId}`;
        const charge = r.charge ? { ...r.charge, description: `Refunded payment ${pid} had paid charges` } : undefined;
        next = withFacts(
          before,
          { op: 'REFUND', at: e.at, amount: e.amount, paymentId: pid, charge, allocations: r.allocations, state: r.state },
          { libraryId, method: p.method, planId },
          e.at,
        );
        refunds.push({
          _id: refundId,
          key: `bench-refund-${pid}`,
          paymentId: p._id,
          seq: 1,
          amount: e.amount,
          refundedAfter: e.amount,
          reason: 'bench',
          status: 'processed',
          createdAt: e.at,
          updatedAt: e.at,
        });
      }
      state = next.state;
      const entry = { chain: studentId, seq: ++seq, key, ...next };
      entries.push(entry);
      const row = rowOf(entry);
      const day = next.day!;
      (moneyByDay.get(day) ?? moneyByDay.set(day, []).get(day)!).push(row);
      if (!closed(day)) facts.push({ _id: key, day, ...row });
    }
    summaries.push({
      _id: studentOid,
      libraryId: libraryOid,
      seq,
      amountDue: amountDue(state),
      depositDue: depositDue(state),
      advanceCredit: state.advance,
      depositHeld: state.depositHeld,
      oldestDueDate: oldestDueDate(state) ?? null,
      lastPaidAt: state.lastPaidAt ?? null,
    });
    const periodStart = addMonths(startDay, periods - 1);
    memberships.push({
      _id: new Types.ObjectId(membershipId),
      seq: periods,
      studentId,
      libraryId,
      planId,
      seatKind: 'ANY',
      status: 'ACTIVE',
      terms: { duration: 'MONTHLY', price: plan.price, seatKind: 'ANY', securityDeposit: 0, gstApplicable: true, graceDays: 0, planName: plan.name },
      startDate: startDay,
      period: periods,
      periodStart,
      periodDays: 30,
      endDate: addDays(addMonths(periodStart, 1), -1),
      autoRenew: true,
    });
    await flush(false);
  }
  await flush(true);
  for (const [fy, seq] of counters) await conn.collection('billing_counters').updateOne({ _id: `invoice:${fy}` as never }, { $set: { seq } }, { upsert: true });
  await seedMessaging(t, firstDay, lastDay);

  // The maintained aggregates, as the app stores them (closedRollups: the same sums and documents).
  // Days before the history are empty: the months they start are summed whole.
  for (const d of daysIn(`${firstDay.slice(0, 7)}-01`, firstDay)) if (!moneyByDay.has(d)) moneyByDay.set(d, []);
  await insertAll(conn, 'money_rollups', closedRollups(moneyRollup(conn), moneyByDay, now));
  await markMoneyMonth(conn, firstDay.slice(0, 7), now);
  // The first reads copy the stored sums into their checkpoints, as the app's first queries do.
  const [fromMonth, toMonth] = [firstDay.slice(0, 7), lastDay.slice(0, 7)];
  await rollupMonths(moneyRollup(conn), fromMonth, toMonth, now);
  await rollupMonths(spendRollup(conn), fromMonth, toMonth, now);
  await rollupDays(spendRollup(conn), `${fromMonth}-01`, lastDay, now);
}

interface LedgerSeed {
  at: Date;
  delta: number;
  reason: 'allocation' | 'message' | 'refund';
  reference: string;
}

/** A year of message debits (a fee reminder per student and month by SMS, every fifth also by WhatsApp) and refunds of failed sends. */
async function seedMessaging(t: AnalyticsBenchTenant, firstDay: string, lastDay: string) {
  const random = rng(7_771);
  const sms: LedgerSeed[] = [{ at: at(firstDay, -60), delta: 1_000_000, reason: 'allocation', reference: 'bench-sms' }];
  const whatsapp: LedgerSeed[] = [{ at: at(firstDay, -60), delta: 1_000_000, reason: 'allocation', reference: 'bench-whatsapp' }];
  const chains = new Map([
    ['sms', sms],
    ['whatsapp', whatsapp],
  ]);
  for (const [i, student] of t.studentIds.entries()) {
    for (let day = addDays(firstDay, i % 28); day <= lastDay; day = addMonths(day, 1)) {
      const ref = `reminder-${student.toHexString()}-${day}`;
      const when = at(day, 120 + (i % 240));
      sms.push({ at: when, delta: -1, reason: 'message', reference: `sms-${ref}` });
      if (random() < 0.03) sms.push({ at: new Date(when.getTime() + 3_600_000), delta: 1, reason: 'refund', reference: `sms-${ref}` });
      if (i % 5 === 0) {
        whatsapp.push({ at: when, delta: -2, reason: 'message', reference: `wa-${ref}` });
        if (random() < 0.05) whatsapp.push({ at: new Date(when.getTime() + 3_600_000), delta: 2, reason: 'refund', reference: `wa-${ref}` });
      }
    }
  }
  const now = new Date();
  const rollup = spendRollup(t.conn);
  const usageByDay = new Map<string, SpendSums[]>(daysIn(`${firstDay.slice(0, 7)}-01`, lastDay).map((d) => [d, []]));
  const usageFacts: object[] = [];
  const wallet: Record<string, number> = { sms: 0, whatsapp: 0, email: 0 };
  const seqs: Record<string, number> = {};
  for (const [channel, list] of chains) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    let balance = 0;
    const docs = list.map((e, n) => {
      balance += e.delta;
      const day = istDay(e.at);
      const key = e.reason === 'allocation' ? `allocation:${e.reference}` : e.reason === 'message' ? `debit:${e.reference}` : `refund:${e.reference}`;
      return {
        _id: `${channel}:${n + 1}`,
        key,
        channel: channel as Channel,
        seq: n + 1,
        delta: e.delta,
        balanceAfter: balance,
        reason: e.reason,
        reference: e.reference,
        status: 'applied',
        day,
        month: day.slice(0, 7),
        createdAt: e.at,
        updatedAt: e.at,
      };
    });
    await insertAll(t.conn, 'credit_ledger', docs);
    for (const d of docs) {
      if (d.reason === 'allocation') continue;
      (usageByDay.get(d.day) ?? usageByDay.set(d.day, []).get(d.day)!).push(usageRowOf(d));
      if (!closedRollups(rollup, new Map([[d.day, []]]), now).length)
        usageFacts.push({ _id: d._id, day: d.day, channel: d.channel, reason: d.reason, delta: d.delta });
    }
    wallet[channel] = balance;
    seqs[channel] = docs.length;
  }
  await insertAll(t.conn, 'credit_usage_facts', usageFacts);
  await insertAll(t.conn, 'credit_usage_rollups', closedRollups(rollup, usageByDay, now));
  await t.conn.collection('wallets').updateOne({ _id: 'wallet' as never }, { $set: { ...wallet, seq: seqs } }, { upsert: true });
}

export const moneyPart: AnalyticsBenchPart = {
  name: 'money',
  async seed(t) {
    // Once per tenant: the bench fee plans mark a seeded tenant.
    if (await t.conn.collection('fee_plans').findOne({ name: PLANS[0]!.name })) return;
    await seedMoney(t);
  },
  cases(t): AnalyticsCase[] {
    const lastDay = istDay(new Date(Math.min(t.to.getTime(), Date.now()) - 1));
    const fromMonth = istDay(t.from).slice(0, 7);
    const toMonth = lastDay.slice(0, 7);
    const dayFrom = addMonths(`${toMonth}-01`, -11).slice(0, 7);
    return [
      {
        name: 'money: collections against dues per month',
        query: `query($f: String!, $t: String!) { collectionsReport(fromMonth: $f, toMonth: $t) { month billed received refunded collected collectionRate outstanding payments refunds } }`,
        variables: { f: fromMonth, t: toMonth },
      },
      {
        name: 'money: collections per month and library',
        query: `query($f: String!, $t: String!) { collectionsReport(fromMonth: $f, toMonth: $t, byLibrary: true) { month library { id } billed collected collectionRate outstanding } }`,
        variables: { f: fromMonth, t: toMonth },
      },
      {
        name: 'money: revenue by month, plan and method',
        query: `query($f: String!, $t: String!) { revenueBreakdown(fromMonth: $f, toMonth: $t, groupBy: [MONTH, PLAN, METHOD]) { month planId planName method received refunded net payments refunds } }`,
        variables: { f: fromMonth, t: toMonth },
      },
      {
        name: 'money: messaging spend per month and channel',
        query: `query($f: String!, $t: String!) { messagingSpend(fromMonth: $f, toMonth: $t, by: MONTH) { period channel messages failed sent creditsSpent } }`,
        variables: { f: fromMonth, t: toMonth },
      },
      {
        name: 'money: messaging spend per day and channel (12 months)',
        query: `query($f: String!, $t: String!) { messagingSpend(fromMonth: $f, toMonth: $t, by: DAY) { period channel messages failed sent creditsSpent } }`,
        variables: { f: dayFrom, t: toMonth },
      },
    ];
  },
};
