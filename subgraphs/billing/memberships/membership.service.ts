import { trusted, Types, type Connection } from 'mongoose';
import type { RequestContext } from '../../../core/context';
import { badInput, conflict, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, inLibraryScope } from '../../../core/scope/library-scope';
import { appendOnce, syncProjection } from '../../../core/store/append-chain';
import { studentLibrary } from '../fees/payment.service';
import { nowOf, todayOf } from './clock';
import { postCharge, postCredit } from './dues.service';
import type { AssignFeePlanInput } from './membership.input';
import { membershipEntryModel, membershipModel, membershipStore, RUNNING, type MembershipDoc, type MembershipEntryDoc, type MembershipState } from './membership.model';
import * as ops from './membership.ops';
import { isValidDay } from './period';
import { termsOf } from './plan.model';
import { getFeePlan } from './plan.service';

const OPTS = { what: 'This membership' };

/**
 * Applies one change to a membership, exactly once per key: the change is an
 * entry of the membership's chain (judged against its head), then the dues it
 * causes are posted to the student's dues chain (each idempotent by its own
 * id), then the membership document is brought up to date. A retry after a
 * failure anywhere repeats the missing steps and nothing else.
 */
export async function applyChange(
  conn: Connection, id: string, key: string, at: Date, decide: (head: MembershipState | null) => ops.Decision, requestKey?: string,
): Promise<{ membership: MembershipDoc; created: boolean }> {
  const { entry, created } = await appendOnce<MembershipEntryDoc>(membershipStore(conn), id, key, (head) => {
    const d = decide(head?.state ?? null);
    return { op: d.op, at, requestKey, charges: d.charges, credits: d.credits, state: d.state };
  }, OPTS);
  const mid = entry.chain;
  const { studentId, libraryId } = entry.state;
  for (const c of entry.charges) await postCharge(conn, studentId, libraryId, c, entry.at);
  for (const c of entry.credits) await postCredit(conn, studentId, c, entry.at, entry.at.toISOString().slice(0, 10));
  await syncMembership(conn, mid);
  return { membership: (await membershipModel(conn).findById(mid).lean<MembershipDoc>())!, created };
}

export async function syncMembership(conn: Connection, id: string) {
  await syncProjection(membershipStore(conn), id, async (head) => {
    await membershipModel(conn).replaceOne({ _id: new Types.ObjectId(id) }, { ...head.state, seq: head.seq }, { upsert: true });
  });
}

/** The membership in the caller's tenant and branch scope. */
export async function getMembership(ctx: RequestContext, id: string, field = 'membershipId'): Promise<MembershipDoc> {
  const m = await membershipModel(await ctx.tenantDb()).findById(parseId(id, field)).lean<MembershipDoc>();
  if (!m || !inLibraryScope(ctx, m.libraryId)) throw notFound('Membership');
  return m;
}

/** The same client key on a change of this membership: the change it made (a retry). */
async function replayed(conn: Connection, id: string, requestKey?: string | null) {
  if (!requestKey) return null;
  const e = await membershipEntryModel(conn).findOne({ requestKey: `${id}:${requestKey}` }).lean<MembershipEntryDoc>();
  return e ? membershipModel(conn).findById(id).lean<MembershipDoc>() : null;
}

export async function assignFeePlan(ctx: RequestContext, input: AssignFeePlanInput) {
  const studentId = parseId(input.studentId, 'input.studentId').toHexString();
  const conn = await ctx.tenantDb();
  const prior = await membershipEntryModel(conn).findOne({ key: `assign:${input.idempotencyKey}` }).lean<MembershipEntryDoc>();
  if (prior) {
    if (prior.state.studentId !== studentId || prior.state.planId !== input.planId.toLowerCase()) throw conflict('idempotencyKey was already used for a different assignment', 'input.idempotencyKey');
    return (await membershipModel(conn).findById(prior.chain).lean<MembershipDoc>()) ?? (await finish(conn, prior.chain));
  }
  const plan = await getFeePlan(ctx, input.planId, 'input.planId');
  if (plan.retiredAt) throw conflict('The fee plan is retired', 'input.planId');
  const today = todayOf(ctx.services);
  const startDate = input.startDate ?? today;
  if (!isValidDay(startDate)) throw badInput('input.startDate', 'must be a date YYYY-MM-DD');
  const libraryId = await studentLibrary(ctx, studentId);
  if (libraryId !== plan.libraryId.toHexString()) throw badInput('input.planId', 'the plan is for another library than the student\'s');
  assertLibraryInScope(ctx, libraryId);
  const running = await membershipModel(conn).countDocuments({ studentId, status: trusted({ $in: RUNNING }) });
  if (running) throw conflict('The student already has a running membership: change its plan or cancel it first', 'input.studentId');
  const id = new Types.ObjectId().toHexString();
  const terms = { ...termsOf(plan), planName: plan.name };
  const { membership } = await applyChange(conn, id, `assign:${input.idempotencyKey}`, nowOf(ctx.services), () => ops.assign(id, {
    studentId, libraryId, planId: plan._id.toHexString(), seatKind: plan.seatKind, shiftId: plan.shiftId, terms, startDate,
  }));
  return membership;
}

/** A crash after the chain entry but before the copy: finish the copy. */
async function finish(conn: Connection, id: string) {
  await syncMembership(conn, id);
  return (await membershipModel(conn).findById(id).lean<MembershipDoc>())!;
}

export async function renewMembership(ctx: RequestContext, id: string, requestKey?: string | null) {
  const m = await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const again = await replayed(conn, id, requestKey);
  if (again) return again;
  return (await applyChange(conn, id, `renew:${id}:${m.period + 1}`, nowOf(ctx.services), (s) => ops.renew(id, s!, m.period), requestKey ? `${id}:${requestKey}` : undefined)).membership;
}

export async function changeMembershipPlan(ctx: RequestContext, id: string, planId: string, requestKey: string) {
  const m = await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const again = await replayed(conn, id, requestKey);
  if (again) return again;
  const plan = await getFeePlan(ctx, planId, 'planId');
  if (plan.retiredAt) throw conflict('The fee plan is retired', 'planId');
  if (plan.libraryId.toHexString() !== m.libraryId) throw badInput('planId', 'the plan is for another library');
  const next = { id: plan._id.toHexString(), terms: { ...termsOf(plan), planName: plan.name } };
  const today = todayOf(ctx.services);
  return (await applyChange(conn, id, `change:${id}:${requestKey}`, nowOf(ctx.services), (s) => ops.changePlan(id, s!, next, today), `${id}:${requestKey}`)).membership;
}

export async function freezeMembership(ctx: RequestContext, id: string, days: number, requestKey: string) {
  await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const today = todayOf(ctx.services);
  return (await applyChange(conn, id, `freeze:${id}:${requestKey}`, nowOf(ctx.services), (s) => ops.freeze(s!, days, today), `${id}:${requestKey}`)).membership;
}

/** Once per membership (a second cancel returns the first one's outcome). */
export async function cancelMembership(ctx: RequestContext, id: string, refund: boolean) {
  await getMembership(ctx, id);
  const conn = await ctx.tenantDb();
  const today = todayOf(ctx.services);
  return (await applyChange(conn, id, `cancel:${id}`, nowOf(ctx.services), (s) => ops.cancel(id, s!, refund, today))).membership;
}
