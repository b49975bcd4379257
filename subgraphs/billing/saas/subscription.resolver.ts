import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { AppError } from '../../../core/errors';
import { BillingCycle, PLANS, SaasPlan } from './plan-catalog.service';
import type { SubscriptionChangeDoc, SubscriptionDoc } from './subscription.model';
import { ImportSubscriptionArgs, KeyArgs, PlanArgs, SubscribeArgs } from './subscription.input';
import { live, planApplyDowngrade, planCancel, planChange, planImport, planRenew, planSubscribe } from './subscription-plans.service';
import { change, currentSubscription, effectivePlan, scopeOf } from './subscription.service';
import { Plan, SubscriptionChange, TenantSubscription, type SubscriptionStatus } from './subscription.type';
import { changeInvoicer, ensureRenewalInvoice, invoicedChange, orderFor } from './invoice.service';
import type { SaasInvoiceDoc } from './invoice.model';

export const toSubscription = (s: SubscriptionDoc): TenantSubscription => ({
  plan: s.plan as SaasPlan,
  cycle: s.cycle as BillingCycle,
  status: s.status as SubscriptionStatus,
  periodStart: s.periodStart,
  periodEnd: s.periodEnd,
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  pendingDowngrade: s.pendingPlan ? { plan: s.pendingPlan as SaasPlan, cycle: s.pendingCycle as BillingCycle, effectiveAt: s.periodEnd } : undefined,
  limits: { ...PLANS[effectivePlan(s)].limits },
});

interface Outcome {
  change: SubscriptionChangeDoc | null;
  invoice?: SaasInvoiceDoc | null;
  subscription: SubscriptionDoc | null;
}

/**
 * An invoiced change also opens its platform payment order (one per invoice), so checkout can start at once.
 * The invoice stands without it when no platform gateway answers: paySaasInvoice opens it later.
 */
async function answer(ctx: BillingContext, r: Outcome): Promise<SubscriptionChange> {
  if (r.invoice && r.invoice.status === 'OPEN') {
    await orderFor(ctx, r.invoice).catch((err: unknown) => {
      if (!(err instanceof AppError) || err.extensions.code !== 'SERVICE_UNAVAILABLE') throw err;
      ctx.log.warn({ invoiceId: r.invoice!._id.toHexString() }, 'saas invoice issued without a payment order: no platform gateway answered');
    });
  }
  return {
    subscription: r.subscription ? toSubscription(r.subscription) : undefined,
    amountDue: r.invoice?.amount ?? r.change?.amountDue ?? 0,
    credit: r.invoice?.credit ?? r.change?.credit ?? 0,
    awaitingPayment: r.invoice?.status === 'OPEN',
    invoiceId: r.invoice?._id.toHexString(),
  };
}

const run = (ctx: BillingContext, r: Parameters<typeof change>[1], plan: Parameters<typeof change>[2]) =>
  change(ctx, r, plan, changeInvoicer(ctx), invoicedChange);

@Resolver()
export class SubscriptionResolver {
  @Query(() => [Plan], { description: "The platform's SaaS plans with prices (paise) and limits." })
  plans(): Plan[] {
    return Object.values(SaasPlan).map((name) => ({
      name,
      limits: { ...PLANS[name].limits },
      prices: Object.values(BillingCycle).map((cycle) => ({ cycle, amount: PLANS[name].prices[cycle] })),
    }));
  }

  @Query(() => TenantSubscription, {
    nullable: true,
    description: "The tenant's subscription (an ended trial or period shows EXPIRED, an unpaid one PAST_DUE); null if it never subscribed.",
  })
  async subscription(@Ctx() ctx: BillingContext) {
    const s = await currentSubscription(await scopeOf(ctx));
    return s ? toSubscription(s) : null;
  }

  @Mutation(() => SubscriptionChange, {
    description: 'Subscribes (or starts a 14-day trial). A paid plan is invoiced and starts when the invoice is paid; once per idempotencyKey.',
  })
  async subscribe(@Args(() => SubscribeArgs) { plan, cycle, trial, idempotencyKey }: SubscribeArgs, @Ctx() ctx: BillingContext) {
    return answer(
      ctx,
      await run(
        ctx,
        { kind: trial ? 'TRIAL' : 'SUBSCRIBE', idempotencyKey, request: { plan, cycle, trial: !!trial } },
        planSubscribe(ctx, plan, cycle, !!trial),
      ),
    );
  }

  @Mutation(() => SubscriptionChange, {
    description: 'Upgrades when the prorated invoice is paid; downgrades at the end of the period (LIMIT_EXCEEDED if usage does not fit).',
  })
  async changePlan(@Args(() => PlanArgs) { plan, cycle, idempotencyKey }: PlanArgs, @Ctx() ctx: BillingContext) {
    return answer(ctx, await run(ctx, { kind: 'CHANGE', idempotencyKey, request: { plan, cycle } }, planChange(ctx, plan, cycle)));
  }

  @Mutation(() => SubscriptionChange, { description: 'Cancels at the end of the current period.' })
  async cancelSubscription(@Args(() => KeyArgs) { idempotencyKey }: KeyArgs, @Ctx() ctx: BillingContext) {
    return answer(ctx, await run(ctx, { kind: 'CANCEL', idempotencyKey, request: {} }, planCancel()));
  }

  @Mutation(() => SubscriptionChange, {
    description:
      'While a paid period runs (or is past due): the renewal invoice of the next period (issued once). After it ended: a new period, invoiced (pending downgrade applied).',
  })
  async renewSubscription(@Args(() => KeyArgs) { idempotencyKey }: KeyArgs, @Ctx() ctx: BillingContext) {
    const scope = await scopeOf(ctx);
    const s = await currentSubscription(scope);
    if (s && live(s) && !s.trial && !s.cancelAtPeriodEnd) {
      const invoice = await ensureRenewalInvoice(scope, s, ctx.auth?.sub);
      if (invoice) return answer(ctx, { change: null, invoice, subscription: s });
    }
    return answer(ctx, await run(ctx, { kind: 'RENEW', idempotencyKey, request: {} }, planRenew(ctx)));
  }

  @Mutation(() => SubscriptionChange, {
    description:
      "Platform: records the tenant's (x-tenant) current period paid outside StudySpot (a customer migrated from another system); only before its first subscription. A period already over is PAST_DUE at once.",
  })
  async importSubscription(
    @Args(() => ImportSubscriptionArgs) { plan, cycle, periodStart, idempotencyKey }: ImportSubscriptionArgs,
    @Ctx() ctx: BillingContext,
  ) {
    return answer(ctx, await run(ctx, { kind: 'IMPORT', idempotencyKey, request: { plan, cycle } }, planImport(ctx, plan, cycle, periodStart)));
  }

  @Mutation(() => SubscriptionChange, { description: "Platform: applies the tenant's (x-tenant) scheduled downgrade now instead of at renewal, at no charge." })
  async applyScheduledDowngrade(@Args(() => KeyArgs) { idempotencyKey }: KeyArgs, @Ctx() ctx: BillingContext) {
    return answer(ctx, await run(ctx, { kind: 'DOWNGRADE_NOW', idempotencyKey, request: {} }, planApplyDowngrade()));
  }
}
