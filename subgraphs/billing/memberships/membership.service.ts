import { Types, type Connection } from 'mongoose';
import type { BillingContext } from '../context';
import { badInput, conflict, notFound } from '../../../core/errors';
import { parseId, tryParseId } from '../../../core/ids';
import { assertLibraryInScope, inLibraryScope, libraryScopeFilter } from '../../../core/scope/library-scope';
import { appendOnce, syncProjection } from '../../../core/store/append-chain';
import { studentLibrary } from '../fees/student.client';
import { nowOf, todayOf } from './clock.service';
import { markFeeCycleDue } from './fee-cycle-due.service';
import { postCharge, postCredit, postPlan } from './dues.service';
import type { AssignFeePlanInput } from './membership.input';
import {
  enrolmentStore,
  membershipEntryModel,
  membershipModel,
  membershipStore,
  renewalRequestModel,
  RUNNING,
  type EnrolmentDoc,
  type RenewalRequestDoc,
  type MembershipDoc,
  type MembershipEntryDoc,
  type MembershipState,
} from './membership.model';
import * as ops from './membership-ops.service';
import { termsOf } from './plan.service';
import { getFeePlan } from './plan.service';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

const OPTS = { busy: 'This membership is busy, try again' };

/** Membership changes that put the student on a plan (the dues ledger's plan follows). */
const PLAN_OPS = new Set(['ASSIGN', 'RENEW', 'CHANGE_PLAN']);

/**
 * Applies one change to a membership, exactly once per key: the change is an
 * entry of the membership's chain (judged against its head), then the dues it
 * causes are posted to the student's dues chain (each idempotent by its own
 * id), then the membership document is brought up to date. A retry after a
 * failure anywhere repeats the missing steps and nothing else.
 */
export async function applyChange(
  conn: Connection,
  id: string,
  key: string,
  at: Date,
  decide: (head: MembershipState | null) => ops.Decision,
): Promise<{ membership: MembershipDoc; created: boolean }> {
  const { entry, created } = await appendOnce<MembershipEntryDoc>(
    membershipStore(conn),
    id,
    key,
    (head) => {
      const d = decide(head?.state ?? null);
      return { op: d.op, at, charges: d.charges, credits: d.credits, state: d.state };
    },
    OPTS,
  );
  const mid = entry.chain;
  const { studentId, libraryId, planId } = entry.state;
  for (const c of entry.charges) await postCharge(conn, studentId, { libraryId, planId }, c, entry.at);
  for (const c of entry.credits) await postCredit(conn, studentId, c, entry.at, entry.at.toISOString().slice(0, 10));
  // A plan that charged nothing (free, or a downgrade paid by a credit) still becomes the ledger's plan.
  if (PLAN_OPS.has(entry.op) && !entry.charges.some((c) => c.amount > 0)) {
    await postPlan(conn, studentId, { libraryId, planId }, `plan:${mid}:${entry.seq}`, entry.at);
  }
  await syncMembership(conn, mid);
  return { membership: (await membershipModel(conn).findById(mid).lean<MembershipDoc>())!, created };
}

/**
 * A membership change made through the API: then the tenant's fee cycle is due now, not at
 * its next midnight (a start in the past leaves renewals and late fees due today).
 */
async function applyForCaller(ctx: BillingContext, ...change: Parameters<typeof applyChange>) {
  const result = await applyChange(...change);
  await markFeeCycleDue(ctx);
  return result;
}

export async function syncMembership(conn: Connection, id: string) {
  await syncProjection(membershipStore(conn), id, async (head) => {
    await membershipModel(conn).replaceOne({ _id: new Types.ObjectId(id) }, { ...head.state, seq: head.seq }, { upsert: true });
  });
}

/** The membership in the caller's tenant and branch scope. */
export async function getMembership(ctx: BillingContext, id: string, field = 'membershipId'): Promise<MembershipDoc> {
  const m = await membershipModel(await ctx.tenantDb())
    .findById(parseId(id, field))
    .lean<MembershipDoc>();
  if (!m || !inLibraryScope(ctx, m.libraryId)) throw notFound('Membership');
  return m;
}

/** The period a renewal request renews: the next one, bound to the client's key on first use. */
async function renewalPeriod(conn: Connection, id: string, current: number, requestKey?: string | null): Promise<number> {
  if (!requestKey) return current + 1;
  const Requests = renewalRequestModel(conn);
  try {
    await Requests.create({ _id: `${id}:${requestKey}`, period: current + 1 });
    return current + 1;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await Requests.findById(`${id}:${requestKey}`).lean<RenewalRequestDoc>())!.period;
  }
}

export async function assignFeePlan(ctx: BillingContext, input: AssignFeePlanInput) {
  const studentId = parseId(input.studentId, 'input.studentId').toHexString();
  const conn = await ctx.tenantDb();
  const key = `assign:${input.idempotencyKey}`;
  const prior = await membershipEntryModel(conn).findOne({ key }).lean<MembershipEntryDoc>();
  if (prior) {
    if (prior.state.studentId !== studentId || prior.state.planId !== input.planId.toLowerCase())
      throw conflict('idempotencyKey was already used for a different assignment', 'input.idempotencyKey');
    // A retry: completes whatever the first attempt did not (dues, the membership copy).
    return (
      await applyForCaller(ctx, conn, prior.chain, key, prior.at, () => {
        throw conflict('Assignment already made', 'input.idempotencyKey');
      })
    ).membership;
  }
  const plan = await getFeePlan(ctx, input.planId, 'input.planId');
  if (plan.retiredAt) throw conflict('The fee plan is retired', 'input.planId');
  const today = todayOf(ctx.services);
  const startDate = input.startDate ?? today;
  const libraryId = await studentLibrary(ctx, studentId);
  if (libraryId !== plan.libraryId.toHexString()) throw badInput('input.planId', "the plan is for another library than the student's");
  assertLibraryInScope(ctx, libraryId);
  const at = nowOf(ctx.services);
  const id = await enrol(conn, studentId, input.idempotencyKey, at);
  const terms = { ...termsOf(plan), planName: plan.name };
  const { membership } = await applyForCaller(ctx, conn, id, key, at, () =>
    ops.assign(id, {
      studentId,
      libraryId,
      planId: plan._id.toHexString(),
      seatKind: plan.seatKind,
      shiftId: plan.shiftId,
      terms,
      startDate,
    }),
  );
  return membership;
}

/** An enrolment older than this with no membership behind it was abandoned. */
const ABANDONED_MS = 60_000;
const RUNNING_REFUSAL = 'The student already has a running membership: change its plan or cancel it first';

/** The id of the student's next membership, once per key; CONFLICT while another membership runs (see EnrolmentDoc). */
async function enrol(conn: Connection, studentId: string, requestKey: string, at: Date): Promise<string> {
  const mine = await membershipModel(conn).find({ studentId }, { _id: 1, status: 1 }).lean<Pick<MembershipDoc, '_id' | 'status'>[]>();
  if (mine.some((m) => RUNNING.includes(m.status))) throw conflict(RUNNING_REFUSAL, 'input.studentId');
  const ended = new Set(mine.map((m) => m._id.toHexString()));
  // An enrolment whose assignment never happened (its writer died, no retry came) must not block the student forever.
  const store = enrolmentStore(conn);
  const last = await store.head(studentId);
  if (
    last &&
    !ended.has(last.state.membershipId) &&
    at.getTime() - last.at.getTime() > ABANDONED_MS &&
    !(await membershipEntryModel(conn).exists({ chain: last.state.membershipId }))
  )
    ended.add(last.state.membershipId);
  const fresh = new Types.ObjectId().toHexString();
  const { entry } = await appendOnce<EnrolmentDoc>(
    store,
    studentId,
    `enrol:${requestKey}`,
    (head) => {
      // A head naming a membership not (yet) known as ended: it runs, or is being created by a concurrent assignment.
      if (head && !ended.has(head.state.membershipId)) throw conflict(RUNNING_REFUSAL, 'input.studentId');
      return { at, state: { membershipId: fresh } };
    },
    OPTS,
  );
  return entry.state.membershipId;
}

export async function renewMembership(ctx: BillingContext, id: string, requestKey?: string | null) {
  const m = await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const period = await renewalPeriod(conn, id, m.period, requestKey);
  return (await applyForCaller(ctx, conn, id, `renew:${id}:${period}`, nowOf(ctx.services), (s) => ops.renew(id, s!, period - 1))).membership;
}

export async function changeMembershipPlan(ctx: BillingContext, id: string, planId: string, requestKey: string) {
  const m = await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const plan = await getFeePlan(ctx, planId, 'planId');
  if (plan.retiredAt) throw conflict('The fee plan is retired', 'planId');
  if (plan.libraryId.toHexString() !== m.libraryId) throw badInput('planId', 'the plan is for another library');
  const next = { id: plan._id.toHexString(), terms: { ...termsOf(plan), planName: plan.name } };
  const today = todayOf(ctx.services);
  return (await applyForCaller(ctx, conn, id, `change:${id}:${requestKey}`, nowOf(ctx.services), (s) => ops.changePlan(id, s!, next, today))).membership;
}

export async function freezeMembership(ctx: BillingContext, id: string, days: number, requestKey: string) {
  await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const today = todayOf(ctx.services);
  return (await applyForCaller(ctx, conn, id, `freeze:${id}:${requestKey}`, nowOf(ctx.services), (s) => ops.freeze(s!, days, today))).membership;
}

/** Once per membership (a second cancel returns the first one's outcome). */
export async function cancelMembership(ctx: BillingContext, id: string, refund: boolean) {
  await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const today = todayOf(ctx.services);
  return (await applyForCaller(ctx, conn, id, `cancel:${id}`, nowOf(ctx.services), (s) => ops.cancel(id, s!, refund, today))).membership;
}

/** Memberships newest start first, in the caller's branch scope (FORBIDDEN for a library outside it). */
export async function listMemberships(ctx: BillingContext, libraryId: string | null | undefined, first: number) {
  const filter: Record<string, unknown> = libraryScopeFilter(ctx);
  if (libraryId) {
    assertLibraryInScope(ctx, parseId(libraryId, 'libraryId'));
    filter.libraryId = libraryId.toLowerCase();
  }
  return membershipModel(await ctx.tenantDb())
    .find(filter)
    .sort({ startDate: -1, _id: -1 })
    .limit(first)
    .lean<MembershipDoc[]>();
}

/** A student's memberships (at most 100, newest first) in the caller's branch scope. */
export async function studentMemberships(ctx: BillingContext, studentId: string) {
  const docs = await membershipModel(await ctx.tenantDb())
    .find({ studentId })
    .sort({ startDate: -1, _id: -1 })
    .limit(100)
    .lean<MembershipDoc[]>();
  return docs.filter((m) => inLibraryScope(ctx, m.libraryId));
}

/** `_entities`: a membership of the caller's tenant and branch scope, else null. */
export async function findMembershipInScope(ctx: BillingContext, rawId: unknown) {
  const id = tryParseId(rawId);
  if (!id) return null;
  const m = await membershipModel(await ctx.tenantDb())
    .findById(id)
    .lean<MembershipDoc>();
  return m && inLibraryScope(ctx, m.libraryId) ? m : null;
}
