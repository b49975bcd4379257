import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { badInput, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { billedTenant } from '../platform/order.service';
import { platformOrderModel, toPlatformOrder, type PlatformOrderDoc } from '../platform/order.model';
import { PlatformPaymentOrder } from '../platform/order.type';
import { billingDeps } from '../platform/runtime';
import { runBillingCycle } from './cycle.service';
import { saasDunningModel, saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import { orderFor } from './invoice.service';
import { currentSubscription, now, scopeFor } from './subscription.service';
import { toSubscription } from './subscription.resolver';
import { SubscriptionChange } from './subscription.type';
import { DunningStep, SaasAccount, SaasBillingCycleReport, SaasInvoice, SaasInvoiceStatus as SaasInvoiceStatusEnum, type SaasInvoiceStatus } from './invoice.type';
import type { BillingCycle, SaasPlan } from './plan.catalog';

export const toInvoice = (d: SaasInvoiceDoc): SaasInvoice => ({
  id: d._id.toHexString(), tenantId: d.tenantId, number: d.number, kind: d.kind, plan: d.plan as SaasPlan, cycle: d.cycle as BillingCycle,
  amount: d.amount, credit: d.credit, taxableValue: d.taxableValue, tax: d.tax, status: d.status as SaasInvoiceStatus,
  issuedAt: d.issuedAt, dueAt: d.dueAt, paidAt: d.paidAt ?? undefined, periodStart: d.periodStart ?? undefined, orderId: d.orderId?.toHexString(),
});


@Resolver(() => SaasAccount)
export class SaasAccountResolver {
  @Query(() => SaasAccount, { description: 'The tenant\'s SaaS account: invoices, what it owes, grace and dunning (owner; platform staff with x-tenant, also for a suspended tenant).' })
  async saasAccount(@Ctx() ctx: RequestContext): Promise<SaasAccount> {
    const tenant = await billedTenant(ctx);
    const deps = billingDeps(ctx.services);
    const scope = scopeFor(deps, tenant, now(ctx));
    const s = await currentSubscription(scope);
    const docs = await saasInvoiceModel(scope.platform).find({ tenantId: scope.tenantId }).sort({ issuedAt: -1, _id: -1 }).limit(50).lean<SaasInvoiceDoc[]>();
    const open = docs.filter((d) => d.status === 'OPEN');
    const overdue = open.filter((d) => d.dueAt <= scope.at).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
    const steps = overdue ? await saasDunningModel(scope.platform).find({ invoiceId: overdue._id }).lean() : [];
    const has = (step: string) => steps.some((x) => x.step === step);
    const dunningStep = has('SUSPEND') ? DunningStep.SUSPENDED : overdue ? DunningStep.OVERDUE
      : open.some((d) => d.kind === 'RENEWAL') ? DunningStep.ISSUED : DunningStep.NONE;
    return {
      subscription: s ? toSubscription(s) : undefined,
      amountOwed: open.reduce((sum, d) => sum + d.amount, 0),
      overdueSince: overdue?.dueAt,
      graceEndsAt: overdue ? new Date(overdue.dueAt.getTime() + scope.graceMs) : undefined,
      dunningStep,
      suspended: tenant.status === 'suspended',
      invoices: docs.map(toInvoice),
    };
  }

  @Query(() => [SaasInvoice], { description: 'Platform: SaaS invoices across tenants by status (default OPEN: what tenants owe), oldest due first.' })
  async saasInvoices(
    @Arg('status', () => SaasInvoiceStatusEnum, { nullable: true, defaultValue: SaasInvoiceStatusEnum.OPEN }) status: SaasInvoiceStatusEnum,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw badInput('first', 'must be 1 to 500');
    const docs = await saasInvoiceModel(ctx.db.platform()).find({ status }).sort({ dueAt: 1, _id: 1 }).limit(first).lean<SaasInvoiceDoc[]>();
    return docs.map(toInvoice);
  }

  @Mutation(() => PlatformPaymentOrder, {
    description: 'The platform payment order of an open SaaS invoice (created once; retried after a gateway outage). Also for a suspended tenant: paying reactivates it.',
  })
  async paySaasInvoice(@Arg('invoiceId', () => ID) invoiceId: string, @Ctx() ctx: RequestContext) {
    const tenant = await billedTenant(ctx);
    const inv = await saasInvoiceModel(ctx.db.platform()).findOne({ _id: parseId(invoiceId, 'invoiceId'), tenantId: tenant._id.toHexString() }).lean<SaasInvoiceDoc>();
    if (!inv) throw notFound('SaasInvoice');
    return toPlatformOrder(await orderFor(ctx, inv));
  }

  @Mutation(() => SaasBillingCycleReport, { description: 'Platform: runs the SaaS billing cycle now (renewal invoices, dunning, suspension, reactivation); safe to repeat.' })
  async runSaasBillingCycle(@Arg('at', () => Date, { nullable: true, description: 'Default: now. Earlier instants catch up; a future one is refused (it would suspend early).' }) at: Date | null, @Ctx() ctx: RequestContext) {
    const current = now(ctx);
    if (at && at.getTime() > current.getTime() + 60_000) throw badInput('at', 'must not be in the future');
    return runBillingCycle(billingDeps(ctx.services), at ?? current);
  }
}

@Resolver(() => SaasInvoice)
export class SaasInvoiceResolver {
  @FieldResolver(() => PlatformPaymentOrder, { nullable: true })
  async paymentOrder(@Root() inv: SaasInvoice, @Ctx() ctx: RequestContext) {
    if (!inv.orderId) return null;
    const doc = await platformOrderModel(ctx.db.platform()).findById(inv.orderId).lean<PlatformOrderDoc>();
    return doc ? toPlatformOrder(doc) : null;
  }
}

@Resolver(() => SubscriptionChange)
export class SubscriptionChangeInvoiceResolver {
  @FieldResolver(() => SaasInvoice, { nullable: true, description: 'The invoice of a change that costs money; the change applies when it is paid.' })
  async invoice(@Root() c: SubscriptionChange, @Ctx() ctx: RequestContext) {
    if (!c.invoiceId) return null;
    const doc = await saasInvoiceModel(ctx.db.platform()).findById(c.invoiceId).lean<SaasInvoiceDoc>();
    return doc ? toInvoice(doc) : null;
  }
}
