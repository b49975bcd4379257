import type { BillingContext } from '../context';
import { badInput, conflict, notFound } from '../../../core/errors';
import { BillingCycle, DAY_MS, PLANS, priceOf, prorate, SaasPlan, TRIAL_DAYS } from './plan-catalog.service';
import type { SubscriptionDoc, SubscriptionState } from './subscription.model';
import { freshPeriod, stateOf, type Planned } from './subscription.service';
import { assertFits } from './subscription-usage.service';

/** Planners: from the current version and the time, the next state and what it costs; they throw to refuse. */

const fresh = (plan: SaasPlan, cycle: BillingCycle, at: Date): SubscriptionState => freshPeriod(plan, cycle, at);

export const live = (s: SubscriptionDoc | null) => !!s && (s.status === 'ACTIVE' || s.status === 'TRIAL' || s.status === 'PAST_DUE');

/** A new subscription (none yet, or the last one ended); `trial` only for a tenant that never subscribed. */
export const planSubscribe =
  (ctx: BillingContext, plan: SaasPlan, cycle: BillingCycle, trial: boolean) =>
  async (current: SubscriptionDoc | null, at: Date): Promise<Planned> => {
    if (live(current)) throw conflict('The tenant already has a subscription; use changePlan');
    if (trial && current) throw badInput('trial', 'only a tenant that never subscribed can start a trial');
    if (trial && plan === SaasPlan.FREE) throw badInput('trial', 'the free plan needs no trial');
    await assertFits(ctx, plan);
    if (!trial) return { kind: 'SUBSCRIBE', next: fresh(plan, cycle, at), amountDue: priceOf(plan, cycle), credit: 0 };
    const next = { ...fresh(plan, cycle, at), status: 'TRIAL' as const, trial: true, periodEnd: new Date(at.getTime() + TRIAL_DAYS * DAY_MS), periodPrice: 0 };
    return { kind: 'TRIAL', next, amountDue: 0, credit: 0 };
  };

/**
 * Upgrades (a bigger plan) start now with the proration of plan.catalog.ts;
 * anything else (smaller plan, or the same plan on another cycle) waits for the
 * period's end — and a smaller plan is refused now if usage exceeds its limits.
 * Asking for the current plan and cycle withdraws a pending change. A trial
 * becomes a paid subscription at once, at full price.
 */
export const planChange =
  (ctx: BillingContext, plan: SaasPlan, cycle: BillingCycle) =>
  async (current: SubscriptionDoc | null, at: Date): Promise<Planned> => {
    if (!current || !live(current)) throw notFound('Active subscription');
    const from = current.plan as SaasPlan;
    const smaller = PLANS[plan].rank < PLANS[from].rank;
    if (smaller) await assertFits(ctx, plan);
    if (current.status === 'TRIAL') return { kind: 'CONVERT', next: fresh(plan, cycle, at), amountDue: priceOf(plan, cycle), credit: 0 };
    if (PLANS[plan].rank > PLANS[from].rank) {
      const p = prorate({
        periodStart: current.periodStart,
        periodEnd: current.periodEnd,
        periodPrice: current.periodPrice,
        now: at,
        newPrice: priceOf(plan, cycle),
      });
      return { kind: 'UPGRADE', next: fresh(plan, cycle, at), amountDue: p.amountDue, credit: p.credit };
    }
    const same = plan === from && cycle === current.cycle;
    if (same && !current.pendingPlan) throw badInput('plan', 'is already the current plan and cycle');
    const next = { ...stateOf(current), pendingPlan: same ? null : plan, pendingCycle: same ? null : cycle, cancelAtPeriodEnd: false };
    return { kind: same ? 'KEEP' : 'DOWNGRADE', next, amountDue: 0, credit: 0 };
  };

/** Ends the subscription at the end of its period (a trial at the trial's end). */
export const planCancel =
  () =>
  async (current: SubscriptionDoc | null): Promise<Planned> => {
    if (!current || !live(current)) throw notFound('Active subscription');
    if (current.cancelAtPeriodEnd) throw conflict('The subscription is already cancelled at the end of its period');
    return { kind: 'CANCEL', next: { ...stateOf(current), cancelAtPeriodEnd: true, pendingPlan: null, pendingCycle: null }, amountDue: 0, credit: 0 };
  };

/**
 * Starts the next paid period once the current one has ended (EXPIRED or
 * CANCELLED), on the pending plan and cycle if a downgrade was scheduled. While
 * a period runs there is nothing to renew (CONFLICT).
 */
export const planRenew =
  (ctx: BillingContext) =>
  async (current: SubscriptionDoc | null, at: Date): Promise<Planned> => {
    if (!current) throw notFound('Subscription');
    if (live(current)) throw conflict(`The subscription runs until ${current.periodEnd.toISOString()}; renew after it ends`);
    if (current.trial && !current.pendingPlan) throw badInput('plan', 'a trial is not renewed; subscribe to a plan');
    const plan = (current.pendingPlan ?? current.plan) as SaasPlan;
    const cycle = (current.pendingCycle ?? current.cycle) as BillingCycle;
    await assertFits(ctx, plan);
    return { kind: 'RENEW', next: fresh(plan, cycle, at), amountDue: priceOf(plan, cycle), credit: 0 };
  };

/**
 * Platform admin: a scheduled downgrade takes effect now instead of at renewal.
 * The new plan starts a full period now at no charge (what was paid for the
 * current period is not refunded here).
 */
export const planApplyDowngrade =
  () =>
  async (current: SubscriptionDoc | null, at: Date): Promise<Planned> => {
    if (!current || !live(current)) throw notFound('Active subscription');
    if (!current.pendingPlan) throw badInput('tenant', 'has no scheduled downgrade');
    const next = { ...fresh(current.pendingPlan as SaasPlan, current.pendingCycle as BillingCycle, at), periodPrice: 0 };
    return { kind: 'DOWNGRADE_NOW', next, amountDue: 0, credit: 0 };
  };

/**
 * Platform: a customer migrated from another system brings its current period,
 * paid there (no invoice here). Only for a tenant that never subscribed; the period
 * runs a full cycle from `periodStart`, so one already over is settled at once
 * (PAST_DUE, then the billing cycle's dunning).
 */
export const planImport =
  (ctx: BillingContext, plan: SaasPlan, cycle: BillingCycle, periodStart: Date) =>
  async (current: SubscriptionDoc | null, at: Date): Promise<Planned> => {
    if (current) throw conflict('The tenant already has a subscription; imports are for its first one');
    if (periodStart > at) throw badInput('periodStart', 'must not be in the future');
    if (at.getTime() - periodStart.getTime() > 400 * DAY_MS) throw badInput('periodStart', 'must be at most 400 days ago');
    if (plan === SaasPlan.FREE) throw badInput('plan', 'the free plan needs no import; subscribe to it');
    await assertFits(ctx, plan);
    return { kind: 'IMPORT', next: fresh(plan, cycle, periodStart), amountDue: 0, credit: 0 };
  };
