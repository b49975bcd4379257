import { trusted, type Connection } from 'mongoose';
import { AppError } from '../../../core/errors';
import type { Emit } from '../../../core/events';
import { ChargeKind } from './dues-ledger.service';
import { duesSummaryModel, type DuesSummaryDoc } from './dues.model';
import { duesState, postCharge } from './dues.service';
import { MembershipStatus, membershipModel, type MembershipDoc } from './membership.model';
import * as ops from './membership-ops.service';
import { applyChange } from './membership.service';
import { addDays, istDay } from '../../../core/tenant-time';

export interface FeeCycleReport {
  renewed: number;
  expired: number;
  unfrozen: number;
  lateFees: number;
}

/** Days before a period's last day that membership.expiring is emitted (once per membership period). */
export const EXPIRING_NOTICE_DAYS = 3;

/** Tells others a membership period nears its end (billing's emit of `membership.expiring`, keyed by membership and period). */
export type ExpiringNotice = (m: MembershipDoc) => Promise<void>;

/** The notice of `tenantId` through `emit`: one membership.expiring per membership and period (the event key). */
export const expiringNotice =
  (emit: Emit, tenantId: string): ExpiringNotice =>
  async (m) => {
    const membershipId = m._id.toHexString();
    const fact = {
      tenantId,
      membershipId,
      studentId: m.studentId,
      libraryId: m.libraryId,
      planId: m.planId,
      period: m.period,
      endDate: m.endDate,
      autoRenew: m.autoRenew,
    };
    await emit('membership.expiring', fact, `${membershipId}:${m.period}`);
  };

/** Periods one run catches up per membership (a job that was off for a long time). */
const MAX_PERIODS_PER_RUN = 24;

/** A change another run (or a person) made first is not a failure of this run. */
const raced = (err: unknown) => err instanceof AppError && err.extensions.code === 'CONFLICT';

/**
 * One fee-cycle run for one tenant at `at`. Every step is keyed like its manual
 * twin (renew:<membership>:<period>, late:<charge>, expire:<membership>...), so
 * running it twice, or on two instances at once, changes nothing more than once.
 * Order: thaw freezes that ended, renew periods that ended (one charge each),
 * expire cancelled memberships that ran out, add late fees past grace.
 */
export async function runFeeCycle(conn: Connection, at: Date, expiring?: ExpiringNotice): Promise<FeeCycleReport> {
  const today = istDay(at);
  const report: FeeCycleReport = { renewed: 0, expired: 0, unfrozen: 0, lateFees: 0 };
  const Members = membershipModel(conn);

  const thawed = await Members.find({ status: MembershipStatus.FROZEN, frozenUntil: trusted({ $lt: today }) }).lean<MembershipDoc[]>();
  for (const m of thawed) {
    const id = m._id.toHexString();
    const r = await applyChange(conn, id, `unfreeze:${id}:${m.frozenUntil}`, at, (s) => ops.unfreeze(s!)).catch(skip);
    if (r?.created) report.unfrozen++;
  }

  const ended = await Members.find({ status: MembershipStatus.ACTIVE, endDate: trusted({ $lt: today }) }).lean<MembershipDoc[]>();
  for (const m of ended) {
    const id = m._id.toHexString();
    if (!m.autoRenew) {
      const r = await applyChange(conn, id, `expire:${id}`, at, (s) => ops.expire(s!, today)).catch(skip);
      if (r?.created) report.expired++;
      continue;
    }
    let cur = m;
    for (let i = 0; i < MAX_PERIODS_PER_RUN && cur.endDate < today && cur.status === MembershipStatus.ACTIVE; i++) {
      const expected = cur.period;
      const r = await applyChange(conn, id, `renew:${id}:${expected + 1}`, at, (s) => ops.renew(id, s!, expected)).catch(skip);
      if (!r) break;
      if (r.created) report.renewed++;
      cur = r.membership;
    }
  }

  report.lateFees = await addLateFees(conn, today, at);
  if (expiring) {
    const soon = await Members.find({ status: MembershipStatus.ACTIVE, endDate: trusted({ $gte: today, $lte: addDays(today, EXPIRING_NOTICE_DAYS) }) }).lean<
      MembershipDoc[]
    >();
    for (const m of soon) await expiring(m);
  }
  return report;
}

const skip = (err: unknown) => {
  if (raced(err)) return null;
  throw err;
};

/** Once per charge: a MEMBERSHIP charge still unpaid graceDays after its due date gets its plan's late fee (not while frozen). */
async function addLateFees(conn: Connection, today: string, at: Date): Promise<number> {
  let added = 0;
  const owing = await duesSummaryModel(conn)
    .find({ amountDue: trusted({ $gt: 0 }), oldestDueDate: trusted({ $lt: today }) }, { _id: 1 })
    .lean<Pick<DuesSummaryDoc, '_id'>[]>();
  for (const { _id } of owing) {
    const studentId = _id.toHexString();
    const { state } = await duesState(conn, studentId);
    const late = state.open.filter((c) => c.kind === ChargeKind.MEMBERSHIP && (c.lateFee ?? 0) > 0 && addDays(c.dueDate, c.graceDays ?? 0) < today);
    if (!late.length) continue;
    const frozen = new Set(
      (await membershipModel(conn).find({ studentId, status: MembershipStatus.FROZEN }, { _id: 1 }).lean<MembershipDoc[]>()).map((m) => m._id.toHexString()),
    );
    for (const c of late) {
      if (c.membershipId && frozen.has(c.membershipId)) continue;
      const r = await postCharge(
        conn,
        studentId,
        { libraryId: state.libraryId },
        {
          id: `late:${c.id}`,
          kind: ChargeKind.LATE_FEE,
          amount: c.lateFee!,
          dueDate: today,
          membershipId: c.membershipId,
          description: `Late fee: unpaid ${c.graceDays ?? 0} day(s) after ${c.dueDate}`,
        },
        at,
      );
      if (r?.created) added++;
    }
  }
  return added;
}
