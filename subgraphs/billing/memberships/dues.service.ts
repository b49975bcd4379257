import { trusted, Types, type Connection } from 'mongoose';
import { conflict } from '../../../core/errors';
import { appendOnce, syncProjection, type NextEntry } from '../../../core/store/append-chain';
import {
  addCharge,
  amountDue,
  ChargeKind,
  depositDue,
  emptyDues,
  giveBack,
  oldestDueDate,
  receiveCredit,
  receivePayment,
  releaseDeposit,
  type DuesState,
  type NewCharge,
} from './dues-ledger.service';
import { duesEntryModel, duesStore, duesSummaryModel, type ChargeDoc, type DuesEntryDoc } from './dues.model';
import { membershipModel } from './membership.model';
import { recordMoneyFact } from '../analytics/money-rollup.service';
import { istDay } from '../../../core/tenant-time';

/**
 * Writes to a student's dues chain. Every write has a key that makes it happen
 * once (a charge per membership period, a payment once, a refund once), so
 * callers may retry any of them after a failure.
 */
const OPTS = { busy: "This student's dues ledger is busy, try again" };

/** Whom money in or out is attributed to in the analytics (payments and refunds). */
export interface Attribution {
  libraryId?: string;
  method?: string;
  planId?: string;
}

/**
 * The analytics facts of an entry (see DuesEntryDoc), fixed with the entry itself in
 * its one insert: a retried or twice-delivered payment finds its entry and adds nothing.
 * The day is the write's (not the event's), so a closed day never gets new facts.
 */
export function withFacts(before: DuesState, e: NextEntry<DuesEntryDoc>, a: Attribution, now = new Date()): NextEntry<DuesEntryDoc> {
  const day = istDay(now);
  const billed = e.op === 'CHARGE' && e.charge?.kind !== ChargeKind.DEPOSIT ? e.amount : e.op === 'CREDIT' ? -e.amount : 0;
  const dueDelta = amountDue(e.state) - amountDue(before);
  return { ...e, day, month: day.slice(0, 7), libraryId: a.libraryId ?? e.state.libraryId, billed, dueDelta, method: a.method, planId: a.planId ?? e.planId };
}

async function post(conn: Connection, studentId: string, key: string, next: (s: DuesState) => NextEntry<DuesEntryDoc>, a: Attribution = {}) {
  const store = duesStore(conn);
  const result = await appendOnce<DuesEntryDoc>(
    store,
    studentId,
    key,
    (head) => {
      const before = head?.state ?? emptyDues();
      return withFacts(before, next(before), a);
    },
    OPTS,
  );
  // A retry the same day heals a crash between the entry and its fact; later, the day's sums are stored.
  if (result.created || result.entry.day === istDay(new Date())) await recordMoneyFact(conn, result.entry);
  await syncSummary(conn, studentId);
  return result;
}

/**
 * The fee plan of the student's latest membership: read only for a ledger whose state does
 * not carry its plan yet (written before DuesState.planId existed, or never charged for a
 * membership). The payment then records it in the state, so the next one reads no membership.
 */
async function latestPlanOf(conn: Connection, studentId: string): Promise<string | null> {
  const m = await membershipModel(conn).findOne({ studentId }, { planId: 1 }).sort({ startDate: -1 }).lean<{ planId?: string }>();
  return m?.planId ?? null;
}

/** Thrown inside a payment's append when its ledger's state has no plan: look it up, then append again. */
class PlanUnknown extends Error {}

export interface ChargeSpec extends NewCharge {
  description: string;
}

/**
 * A charge (its id is its key: e.g. the membership and period). Zero amounts are not posted.
 * `of`: the membership's library and plan (kept in the ledger's state); a late fee names neither.
 */
export async function postCharge(conn: Connection, studentId: string, of: { libraryId?: string; planId?: string }, c: ChargeSpec, at: Date) {
  if (c.amount <= 0) return null;
  return post(conn, studentId, c.id, (s) => {
    const r = addCharge(s, c, of.libraryId, of.planId);
    return { op: 'CHARGE', at, amount: c.amount, charge: chargeDoc(c, c.amount), allocations: r.allocations, state: r.state };
  });
}

/**
 * A membership change that charged nothing (a zero-price plan): the ledger's state still
 * moves to its library and plan, so later payments count under that plan in revenue by
 * plan. A PLAN entry of amount 0, once per key; none when the state names them already.
 */
export async function postPlan(conn: Connection, studentId: string, of: { libraryId: string; planId: string }, key: string, at: Date) {
  const { state } = await duesState(conn, studentId);
  if (state.planId === of.planId && state.libraryId === of.libraryId) return null;
  return post(conn, studentId, key, (s) => ({
    op: 'PLAN',
    at,
    amount: 0,
    allocations: [],
    state: { ...s, libraryId: of.libraryId, planId: of.planId },
  }));
}

/** A credit in the student's favour, listed as a negative ADJUSTMENT charge. */
export async function postCredit(
  conn: Connection,
  studentId: string,
  c: { id: string; amount: number; description: string; membershipId?: string },
  at: Date,
  today: string,
) {
  if (c.amount <= 0) return null;
  return post(conn, studentId, c.id, (s) => {
    const r = receiveCredit(s, c.id, c.amount);
    const charge = { id: c.id, kind: ChargeKind.ADJUSTMENT, amount: -c.amount, dueDate: today, description: c.description, membershipId: c.membershipId };
    return { op: 'CREDIT', at, amount: c.amount, charge, allocations: r.allocations, state: r.state };
  });
}

/**
 * A payment received: allocated to the oldest dues, the rest is advance credit. Once per payment.
 * Its plan (revenue by plan) is the one the ledger's state carries, read with the head anyway.
 */
export async function postPayment(
  conn: Connection,
  p: { _id: Types.ObjectId; studentId: Types.ObjectId; libraryId: Types.ObjectId; method: string; amount: number; paidAt: Date },
) {
  const id = p._id.toHexString();
  const studentId = p.studentId.toHexString();
  const a = { libraryId: p.libraryId.toHexString(), method: p.method };
  const append = (looked?: string | null) =>
    post(
      conn,
      studentId,
      `payment:${id}`,
      (s) => {
        // Fallback for a ledger whose state predates the plan: the membership lookup, once (then it is in the state).
        const planId = s.planId !== undefined ? s.planId : looked;
        if (planId === undefined) throw new PlanUnknown();
        const r = receivePayment({ ...s, planId }, id, p.amount, p.paidAt);
        return { op: 'PAYMENT', at: p.paidAt, amount: p.amount, paymentId: id, planId: planId ?? undefined, allocations: r.allocations, state: r.state };
      },
      a,
    );
  try {
    return await append();
  } catch (err) {
    if (!(err instanceof PlanUnknown)) throw err;
    return append(await latestPlanOf(conn, studentId));
  }
}

/** A processed refund of a payment (see giveBack). Once per refund link. */
export async function postRefund(conn: Connection, studentId: string, refundId: string, paymentId: string, amount: number, at: Date, today: string) {
  if (amount <= 0) return null;
  // A refund is attributed like the payment it gives back (library, method, plan).
  const paid = await duesEntryModel(conn)
    .findOne({ key: `payment:${paymentId}` }, { libraryId: 1, method: 1, planId: 1 })
    .lean<Attribution>();
  const a = { libraryId: paid?.libraryId ?? undefined, method: paid?.method ?? undefined, planId: paid?.planId ?? undefined };
  return post(
    conn,
    studentId,
    `refund:${refundId}`,
    (s) => {
      const r = giveBack(s, refundId, amount, today);
      const charge = r.charge ? chargeDoc({ ...r.charge, description: `Refunded payment ${paymentId} had paid charges` }, r.charge.amount) : undefined;
      return { op: 'REFUND', at, amount, paymentId, charge, allocations: r.allocations, state: r.state };
    },
    a,
  );
}

/** Returns the whole held deposit into the ledger (see releaseDeposit); listed as a negative DEPOSIT line. Once per key. */
export async function postDepositRelease(conn: Connection, studentId: string, key: string, at: Date, today: string) {
  return post(conn, studentId, `deposit-release:${key}`, (s) => {
    if (s.depositHeld <= 0) throw conflict('No security deposit is held for this student', 'studentId');
    const r = releaseDeposit(s, key);
    const charge = { id: `deposit-release:${key}`, kind: ChargeKind.DEPOSIT, amount: -r.amount, dueDate: today, description: 'Security deposit returned' };
    return { op: 'DEPOSIT_RELEASE', at, amount: r.amount, charge, allocations: r.allocations, state: r.state };
  });
}

const chargeDoc = (c: ChargeSpec, amount: number): ChargeDoc => ({
  id: c.id,
  kind: c.kind,
  amount,
  dueDate: c.dueDate,
  description: c.description,
  membershipId: c.membershipId,
});

export async function syncSummary(conn: Connection, studentId: string): Promise<void> {
  const Summary = duesSummaryModel(conn);
  await syncProjection(duesStore(conn), studentId, async (head) => {
    const s = head.state;
    await Summary.updateOne(
      { _id: new Types.ObjectId(studentId) },
      {
        $set: {
          seq: head.seq,
          amountDue: amountDue(s),
          depositDue: depositDue(s),
          advanceCredit: s.advance,
          depositHeld: s.depositHeld,
          oldestDueDate: oldestDueDate(s) ?? null,
          lastPaidAt: s.lastPaidAt ?? null,
          libraryId: s.libraryId ? new Types.ObjectId(s.libraryId) : null,
        },
      },
      { upsert: true },
    );
  });
}

/** The head state of a student's dues (empty for a student never charged). */
export async function duesState(conn: Connection, studentId: string): Promise<{ seq: number; state: DuesState }> {
  const head = await duesStore(conn).head(studentId);
  return { seq: head?.seq ?? 0, state: head?.state ?? emptyDues() };
}

/** Every charge and credit of a student, oldest first. */
export async function chargesOf(conn: Connection, studentId: string): Promise<ChargeDoc[]> {
  const entries = await duesEntryModel(conn)
    .find({ chain: studentId, op: trusted({ $in: ['CHARGE', 'CREDIT', 'REFUND', 'DEPOSIT_RELEASE'] }) }, { charge: 1, seq: 1 })
    .sort({ seq: 1 })
    .lean<Pick<DuesEntryDoc, 'charge' | 'seq'>[]>();
  return entries.flatMap((e) => (e.charge ? [e.charge] : []));
}
