import type { Connection } from 'mongoose';
import { type BillingContext, type BillingDeps, type BillingServices, servicesOf } from '../context';
import type { Emit } from '../../../core/events';
import { emitterOf } from '../../../core/events/outbox';
import { conflict } from '../../../core/errors';
import type { TenantRecord } from '../../../core/tenancy/registry';
import { DAY_MS, periodEndOf, PLANS, priceOf, SaasPlan, type BillingCycle } from './plan-catalog.service';
import { saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import {
  SUBSCRIPTION_ID,
  subscriptionChangeModel,
  subscriptionModel,
  type SubscriptionChangeDoc,
  type SubscriptionDoc,
  type SubscriptionState,
} from './subscription.model';

/** The clock (tests inject one through the `clock` service). */
export const now = (ctx: { services: Readonly<BillingServices> }): Date => (ctx.services.clock ? ctx.services.clock() : new Date());

/** The plan whose limits apply: the subscribed one while ACTIVE, TRIAL or PAST_DUE (grace), otherwise free. */
export const effectivePlan = (s: SubscriptionState | null): SaasPlan =>
  s && (s.status === 'ACTIVE' || s.status === 'TRIAL' || s.status === 'PAST_DUE') ? (s.plan as SaasPlan) : SaasPlan.FREE;

/** The smallest amount a payment order can collect (paise). */
export const MIN_CHARGE = 100;

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

/**
 * One tenant's subscription as billing sees it, from a user's request (the tenant
 * must be active) or from a webhook or the billing cycle (any status: a suspended
 * tenant's subscription still settles and renews when it pays).
 */
export interface Scope {
  conn: Connection;
  platform: Connection;
  tenantId: string;
  /** Durable domain events (plan.changed, saas.*). */
  emit: Emit;
  at: Date;
  graceMs: number;
}

export async function scopeOf(ctx: BillingContext): Promise<Scope> {
  const tenant = await ctx.tenant();
  return {
    conn: await ctx.tenantDb(),
    platform: ctx.db.platform(),
    tenantId: tenant._id.toHexString(),
    emit: ctx.emit,
    at: now(ctx),
    graceMs: ctx.services.settings.saas.graceDays * DAY_MS,
  };
}

export function scopeFor(deps: BillingDeps, tenant: TenantRecord, at = now({ services: servicesOf(deps) })): Scope {
  return {
    conn: deps.db.tenant(tenant.dbName),
    platform: deps.db.platform(),
    tenantId: tenant._id.toHexString(),
    at,
    graceMs: servicesOf(deps).settings.saas.graceDays * DAY_MS,
    emit: emitterOf(deps),
  };
}

export const load = (conn: Connection) => subscriptionModel(conn).findById(SUBSCRIPTION_ID).lean<SubscriptionDoc>();

/**
 * Applies a recorded change with ONE conditional write: only onto the version it
 * was planned from (the first change upserts the document). Re-applying is a
 * no-op, so a retry after a crash between insert and apply completes it.
 * Announces `plan.changed` when the effective plan changed.
 */
export async function apply(scope: Scope, change: SubscriptionChangeDoc, before: SubscriptionState | null) {
  const set = { ...change.next, version: change.baseVersion + 1 };
  let applied = false;
  try {
    const res = await subscriptionModel(scope.conn).updateOne(
      { _id: SUBSCRIPTION_ID, version: change.baseVersion },
      { $set: set },
      { upsert: change.baseVersion === 0 },
    );
    applied = res.modifiedCount + res.upsertedCount > 0;
  } catch (err) {
    // The first change raced another upsert of the document: already applied.
    if (!isDuplicateKey(err)) throw err;
  }
  if (applied && effectivePlan(before) !== effectivePlan(change.next)) {
    const plan = effectivePlan(change.next);
    await scope.emit('plan.changed', { tenantId: scope.tenantId, plan, limits: { ...PLANS[plan].limits } });
  }
}

/** Inserts a change onto `base` and applies it; null when another change of that version won. */
export async function record(scope: Scope, base: SubscriptionDoc | null, planned: Planned, extra: Partial<SubscriptionChangeDoc> = {}) {
  try {
    const rec = (
      await subscriptionChangeModel(scope.conn).create({
        baseVersion: base?.version ?? 0,
        kind: planned.kind,
        effect: planned.kind,
        request: {},
        next: planned.next,
        amountDue: planned.amountDue,
        credit: planned.credit,
        at: scope.at,
        ...extra,
      })
    ).toObject() as SubscriptionChangeDoc;
    await apply(scope, rec, base);
    return rec;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return null;
  }
}

/** Same kind and arguments (an empty `request` is not stored: mongoose drops empty objects). */
export function sameRequest(a: { kind: string; request?: SubscriptionChangeDoc['request'] }, r: Request): boolean {
  const q = a.request ?? {};
  return (
    a.kind === r.kind &&
    (q.plan ?? null) === (r.request.plan ?? null) &&
    (q.cycle ?? null) === (r.request.cycle ?? null) &&
    Boolean(q.trial) === Boolean(r.request.trial)
  );
}

/** A change already recorded under this key: the same request replays it; another one is a CONFLICT. */
async function replay(scope: Scope, r: Request) {
  if (!r.idempotencyKey) return null;
  const done = await subscriptionChangeModel(scope.conn).findOne({ idempotencyKey: r.idempotencyKey }).lean<SubscriptionChangeDoc>();
  if (!done) return null;
  if (!sameRequest(done, r)) throw conflict('idempotencyKey was already used for a different change', 'idempotencyKey');
  await apply(scope, done, null);
  return { change: done, subscription: await load(scope.conn) };
}

/** What a change that costs money does instead of applying: invoice it (saas/invoice.service.ts). */
export type Invoicer = (scope: Scope, r: Request, planned: Planned, base: SubscriptionDoc | null) => Promise<SaasInvoiceDoc>;

/**
 * One subscription change: settle expiry, plan from the current version
 * (`plan` throws to refuse), then either record and apply it (free) or invoice it
 * (`invoice`: applied when paid). Concurrent changes of the same version: one
 * wins, the others get CONFLICT (or, with the winner's key, its result).
 */
export async function change(
  ctx: BillingContext,
  r: Request,
  plan: (current: SubscriptionDoc | null, at: Date) => Promise<Planned>,
  invoice: Invoicer,
  invoiced: (scope: Scope, r: Request) => Promise<SaasInvoiceDoc | null>,
) {
  const scope = await scopeOf(ctx);
  const replayed = await replay(scope, r);
  if (replayed) return replayed;
  const earlier = await invoiced(scope, r);
  if (earlier) return { change: null, invoice: earlier, subscription: await load(scope.conn) };
  const current = await currentSubscription(scope);
  let planned: Planned;
  try {
    planned = await plan(current, scope.at);
  } catch (err) {
    // The same key may have been applied between our replay check and this read:
    // then the refusal ("already cancelled") is our own change, so answer with it.
    const winner = await replay(scope, r);
    if (winner) return winner;
    throw err;
  }
  // Gateways take at least ₹1 (100 paise); a smaller prorated difference is waived, not invoiced.
  if (planned.amountDue > 0 && planned.amountDue < MIN_CHARGE) planned = { ...planned, amountDue: 0 };
  if (planned.amountDue > 0) return { change: null, invoice: await invoice(scope, r, planned, current), subscription: current };
  const recorded = await record(scope, current, planned, {
    kind: r.kind,
    effect: planned.kind,
    request: r.request,
    ...(r.idempotencyKey ? { idempotencyKey: r.idempotencyKey } : {}),
  });
  if (!recorded) {
    const winner = await replay(scope, r);
    if (winner) return winner;
    throw conflict('The subscription changed at the same time; reload and try again');
  }
  return { change: recorded, subscription: await load(scope.conn) };
}

export const stateOf = (s: SubscriptionDoc): SubscriptionState => ({
  plan: s.plan,
  cycle: s.cycle,
  status: s.status,
  trial: s.trial,
  periodStart: s.periodStart,
  periodEnd: s.periodEnd,
  periodPrice: s.periodPrice,
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  pendingPlan: s.pendingPlan ?? null,
  pendingCycle: s.pendingCycle ?? null,
});

export const freshPeriod = (plan: string, cycle: string, start: Date): SubscriptionState => ({
  plan,
  cycle,
  status: 'ACTIVE',
  trial: false,
  periodStart: start,
  periodEnd: periodEndOf(start, cycle as BillingCycle),
  periodPrice: priceOf(plan as SaasPlan, cycle as BillingCycle),
  cancelAtPeriodEnd: false,
  pendingPlan: null,
  pendingCycle: null,
});

export const renewalKey = (periodEnd: Date) => `renewal:${periodEnd.toISOString()}`;

/** The PAID renewal invoice of the period ending at `periodEnd`, if any. */
const paidRenewal = (scope: Scope, periodEnd: Date) =>
  saasInvoiceModel(scope.platform)
    .findOne({ tenantId: scope.tenantId, key: renewalKey(periodEnd), status: 'PAID' })
    .lean<SaasInvoiceDoc>();

/**
 * What happens at and after periodEnd: a cancellation takes effect, a trial expires,
 * a paid renewal (or a free plan) starts the next period at once; an unpaid one
 * leaves the subscription PAST_DUE (plan kept) for the grace period, then EXPIRED.
 */
async function ending(scope: Scope, s: SubscriptionDoc): Promise<Planned | null> {
  const at = scope.at;
  const keep = (status: SubscriptionState['status']): Planned => ({
    kind: status === 'PAST_DUE' ? 'PAST_DUE' : 'EXPIRE',
    next: { ...stateOf(s), status, cancelAtPeriodEnd: false },
    amountDue: 0,
    credit: 0,
  });
  const renew = (plan: string, cycle: string): Planned => ({ kind: 'RENEWAL', next: freshPeriod(plan, cycle, s.periodEnd), amountDue: 0, credit: 0 });
  if ((s.status === 'ACTIVE' || s.status === 'TRIAL') && at >= s.periodEnd) {
    if (s.cancelAtPeriodEnd) return keep('CANCELLED');
    if (s.trial) return keep('EXPIRED');
    const paid = await paidRenewal(scope, s.periodEnd);
    if (paid) return renew(paid.plan, paid.cycle);
    const plan = s.pendingPlan ?? s.plan;
    const cycle = s.pendingCycle ?? s.cycle;
    if (priceOf(plan as SaasPlan, cycle as BillingCycle) === 0) return renew(plan, cycle);
    return keep('PAST_DUE');
  }
  if (s.status === 'PAST_DUE') {
    const paid = await paidRenewal(scope, s.periodEnd);
    if (paid) return renew(paid.plan, paid.cycle);
    if (at.getTime() >= s.periodEnd.getTime() + scope.graceMs) return keep('EXPIRED');
  }
  return null;
}

/**
 * The tenant's subscription, after the query-time check: every step due by now
 * (expiry, renewal, grace ending) is recorded as a change, one version at a time.
 */
export async function currentSubscription(scope: Scope): Promise<SubscriptionDoc | null> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const s = await load(scope.conn);
    const end = s ? await ending(scope, s) : null;
    if (!s || !end) return s;
    // null: another request settled this version first; read again.
    await record(scope, s, end);
  }
  return load(scope.conn);
}
