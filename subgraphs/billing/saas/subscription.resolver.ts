import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { BillingCycle, PLANS, SaasPlan } from './plan.catalog';
import type { SubscriptionChangeDoc, SubscriptionDoc } from './subscription.model';
import { KeyArgs, PlanArgs, SubscribeArgs } from './subscription.input';
import { planCancel, planChange, planRenew, planSubscribe } from './subscription.plans';
import { change, currentSubscription, effectivePlan } from './subscription.service';
import { Plan, SubscriptionChange, TenantSubscription, type SubscriptionStatus } from './subscription.type';

const toSubscription = (s: SubscriptionDoc): TenantSubscription => ({
  plan: s.plan as SaasPlan, cycle: s.cycle as BillingCycle, status: s.status as SubscriptionStatus,
  periodStart: s.periodStart, periodEnd: s.periodEnd, cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  pendingDowngrade: s.pendingPlan ? { plan: s.pendingPlan as SaasPlan, cycle: s.pendingCycle as BillingCycle, effectiveAt: s.periodEnd } : undefined,
  limits: { ...PLANS[effectivePlan(s)].limits },
});

const toChange = (r: { change: SubscriptionChangeDoc; subscription: SubscriptionDoc | null }): SubscriptionChange => ({
  subscription: toSubscription(r.subscription!), amountDue: r.change.amountDue, credit: r.change.credit,
});

@Resolver()
export class SubscriptionResolver {
  @Query(() => [Plan], { description: 'The platform\'s SaaS plans with prices (paise) and limits.' })
  plans(): Plan[] {
    return (Object.values(SaasPlan)).map((name) => ({
      name, limits: { ...PLANS[name].limits },
      prices: Object.values(BillingCycle).map((cycle) => ({ cycle, amount: PLANS[name].prices[cycle] })),
    }));
  }

  @Query(() => TenantSubscription, { nullable: true, description: 'The tenant\'s subscription (an ended trial or period shows EXPIRED); null if it never subscribed.' })
  async subscription(@Ctx() ctx: RequestContext) {
    const s = await currentSubscription(ctx);
    return s ? toSubscription(s) : null;
  }

  @Mutation(() => SubscriptionChange, { description: 'Subscribes (or starts a 14-day trial); charged once per idempotencyKey.' })
  async subscribe(@Args(() => SubscribeArgs) { plan, cycle, trial, idempotencyKey }: SubscribeArgs, @Ctx() ctx: RequestContext) {
    return toChange(await change(ctx, { kind: trial ? 'TRIAL' : 'SUBSCRIBE', idempotencyKey, request: { plan, cycle, trial: !!trial } }, planSubscribe(ctx, plan, cycle, !!trial)));
  }

  @Mutation(() => SubscriptionChange, { description: 'Upgrades now with proration; downgrades at the end of the period (LIMIT_EXCEEDED if usage does not fit).' })
  async changePlan(@Args(() => PlanArgs) { plan, cycle, idempotencyKey }: PlanArgs, @Ctx() ctx: RequestContext) {
    return toChange(await change(ctx, { kind: 'CHANGE', idempotencyKey, request: { plan, cycle } }, planChange(ctx, plan, cycle)));
  }

  @Mutation(() => SubscriptionChange, { description: 'Cancels at the end of the current period.' })
  async cancelSubscription(@Args(() => KeyArgs) { idempotencyKey }: KeyArgs, @Ctx() ctx: RequestContext) {
    return toChange(await change(ctx, { kind: 'CANCEL', idempotencyKey, request: {} }, planCancel()));
  }

  @Mutation(() => SubscriptionChange, { description: 'Starts the next period after the current one ended (pending downgrade applied).' })
  async renewSubscription(@Args(() => KeyArgs) { idempotencyKey }: KeyArgs, @Ctx() ctx: RequestContext) {
    return toChange(await change(ctx, { kind: 'RENEW', idempotencyKey, request: {} }, planRenew(ctx)));
  }
}
