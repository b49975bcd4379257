import type { Connection } from 'mongoose';
import type { RequestContext } from '../../../core/context';
import { topics } from '../../../core/events';
import { conflict } from '../../../core/errors';
import { isDuplicateKey } from '../invoicing/invoice.service';
import { istMonth } from '../invoicing/calendar';
import { PLANS, SaasPlan } from './plan.catalog';
import { saasChargeModel } from './saas-revenue.model';
import {
  SUBSCRIPTION_ID, subscriptionChangeModel, subscriptionModel,
  type SubscriptionChangeDoc, type SubscriptionDoc, type SubscriptionState,
} from './subscription.model';

/** The clock (tests inject one through the `clock` service). */
export const now = (ctx: RequestContext): Date => {
  const clock = ctx.services.clock as (() => Date) | undefined;
  return clock ? clock() : new Date();
};

/** The plan whose limits apply: the subscribed one while ACTIVE or TRIAL, otherwise free. */
export const effectivePlan = (s: SubscriptionState | null): SaasPlan =>
  s && (s.status === 'ACTIVE' || s.status === 'TRIAL') ? (s.plan as SaasPlan) : SaasPlan.FREE;

export interface Planned {
  kind: string;
  next: SubscriptionState;
  amountDue: number;
  credit: number;
}

export interface Request {
  kind: string;
  idempotencyKey?: string;
  request: SubscriptionChangeDoc['request'];
}

const load = (conn: Connection) => subscriptionModel(conn).findById(SUBSCRIPTION_ID).lean<SubscriptionDoc>();

/**
 * Applies a recorded change with ONE conditional write: only onto the version it
 * was planned from (the first change upserts the document). Re-applying is a
 * no-op, so a retry after a crash between insert and apply completes it.
 * Announces `plan.changed` when the effective plan changed.
 */
async function apply(ctx: RequestContext, conn: Connection, change: SubscriptionChangeDoc, before: SubscriptionState | null) {
  const set = { ...change.next, version: change.baseVersion + 1 };
  let applied = false;
  try {
    const res = await subscriptionModel(conn).updateOne(
      { _id: SUBSCRIPTION_ID, version: change.baseVersion }, { $set: set }, { upsert: change.baseVersion === 0 },
    );
    applied = res.modifiedCount + res.upsertedCount > 0;
  } catch (err) {
    // The first change raced another upsert of the document: already applied.
    if (!isDuplicateKey(err)) throw err;
  }
  // Also on a re-apply: a crash between the write above and this insert is completed by the retry.
  if (change.amountDue > 0) await recordCharge(ctx, change);
  if (applied && effectivePlan(before) !== effectivePlan(change.next)) {
    const plan = effectivePlan(change.next);
    await ctx.publish(topics.domain('plan.changed'), {
      tenantId: (await ctx.tenant())._id.toHexString(), plan, limits: { ...PLANS[plan].limits },
    });
  }
}

/** The platform's revenue entry for a charged change; stored once per change (unique _id). */
async function recordCharge(ctx: RequestContext, change: SubscriptionChangeDoc): Promise<void> {
  const tenantId = (await ctx.tenant())._id.toHexString();
  try {
    await saasChargeModel(ctx.db.platform()).create({
      _id: `${tenantId}:${change._id.toHexString()}`, tenantId, plan: change.next.plan, cycle: change.next.cycle,
      effect: change.effect ?? change.kind, amount: change.amountDue, month: istMonth(change.at), at: change.at,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Same kind and arguments (an empty `request` is not stored: mongoose drops empty objects). */
function sameRequest(a: SubscriptionChangeDoc, r: Request): boolean {
  const q = a.request ?? {};
  return a.kind === r.kind && (q.plan ?? null) === (r.request.plan ?? null)
    && (q.cycle ?? null) === (r.request.cycle ?? null) && Boolean(q.trial) === Boolean(r.request.trial);
}

/** A change already recorded under this key: the same request replays it; another one is a CONFLICT. */
async function replay(ctx: RequestContext, conn: Connection, r: Request) {
  if (!r.idempotencyKey) return null;
  const done = await subscriptionChangeModel(conn).findOne({ idempotencyKey: r.idempotencyKey }).lean<SubscriptionChangeDoc>();
  if (!done) return null;
  if (!sameRequest(done, r)) throw conflict('idempotencyKey was already used for a different change', 'idempotencyKey');
  await apply(ctx, conn, done, null);
  return { change: done, subscription: await load(conn) };
}

/**
 * One subscription change: settle expiry, plan from the current version
 * (`plan` throws to refuse), record the change (unique per base version and key),
 * then apply it. Concurrent changes of the same version: one wins, the others
 * get CONFLICT (or, with the winner's key, its result).
 */
export async function change(
  ctx: RequestContext,
  r: Request,
  plan: (current: SubscriptionDoc | null, at: Date) => Promise<Planned>,
) {
  const conn = await ctx.tenantDb();
  const replayed = await replay(ctx, conn, r);
  if (replayed) return replayed;
  const current = await currentSubscription(ctx);
  const at = now(ctx);
  let planned: Planned;
  try {
    planned = await plan(current, at);
  } catch (err) {
    // The same key may have been applied between our replay check and this read:
    // then the refusal ("already cancelled") is our own change, so answer with it.
    const winner = await replay(ctx, conn, r);
    if (winner) return winner;
    throw err;
  }
  const record: Omit<SubscriptionChangeDoc, '_id'> = {
    baseVersion: current?.version ?? 0, kind: r.kind, effect: planned.kind, request: r.request, next: planned.next,
    amountDue: planned.amountDue, credit: planned.credit, at,
    ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
  };
  let recorded: SubscriptionChangeDoc;
  try {
    recorded = (await subscriptionChangeModel(conn).create(record)).toObject() as SubscriptionChangeDoc;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await replay(ctx, conn, r);
    if (winner) return winner;
    throw conflict('The subscription changed at the same time; reload and try again');
  }
  await apply(ctx, conn, recorded, current);
  return { change: recorded, subscription: await load(conn) };
}

/** What ends at periodEnd: a trial or an unrenewed period expires, a cancellation takes effect. */
function ended(s: SubscriptionDoc, at: Date): Planned | null {
  if ((s.status !== 'ACTIVE' && s.status !== 'TRIAL') || at < s.periodEnd) return null;
  const status = s.cancelAtPeriodEnd ? 'CANCELLED' : 'EXPIRED';
  return { kind: 'EXPIRE', next: { ...stateOf(s), status, cancelAtPeriodEnd: false }, amountDue: 0, credit: 0 };
}

export const stateOf = (s: SubscriptionDoc): SubscriptionState => ({
  plan: s.plan, cycle: s.cycle, status: s.status, trial: s.trial, periodStart: s.periodStart, periodEnd: s.periodEnd,
  periodPrice: s.periodPrice, cancelAtPeriodEnd: s.cancelAtPeriodEnd, pendingPlan: s.pendingPlan ?? null, pendingCycle: s.pendingCycle ?? null,
});

/**
 * The tenant's subscription, after the query-time check: a trial or period that
 * has ended is marked EXPIRED (or CANCELLED) here, as a recorded change.
 */
export async function currentSubscription(ctx: RequestContext): Promise<SubscriptionDoc | null> {
  const conn = await ctx.tenantDb();
  for (let attempt = 0; attempt < 3; attempt++) {
    const s = await load(conn);
    const end = s ? ended(s, now(ctx)) : null;
    if (!s || !end) return s;
    try {
      const rec = (await subscriptionChangeModel(conn).create({ baseVersion: s.version, kind: end.kind, request: {}, next: end.next, amountDue: 0, credit: 0, at: now(ctx) })).toObject() as SubscriptionChangeDoc;
      await apply(ctx, conn, rec, s);
    } catch (err) {
      // Another request settled it first; read again.
      if (!isDuplicateKey(err)) throw err;
    }
  }
  return load(conn);
}
