import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageSize } from '../../../core/pagination';
import type { BillingContext } from '../context';
import { badInput } from '../../../core/errors';
import { toPlatformOrder } from '../platform/order.service';
import { PlatformPaymentOrder } from '../platform/order.type';
import { billingDeps } from '../platform/runtime.service';
import { findSaasInvoice, invoiceOrder, listSaasInvoices, paySaasInvoice, saasAccount } from './account.service';
import { runBillingCycle } from './cycle.service';
import { now } from './subscription.service';
import { SubscriptionChange } from './subscription.type';
import { SaasAccount, SaasBillingCycleReport, SaasInvoice, SaasInvoiceStatus as SaasInvoiceStatusEnum } from './invoice.type';

@Resolver(() => SaasAccount)
export class SaasAccountResolver {
  @Query(() => SaasAccount, {
    description: "The tenant's SaaS account: invoices, what it owes, grace and dunning (owner; platform staff with x-tenant, also for a suspended tenant).",
  })
  async saasAccount(@Ctx() ctx: BillingContext): Promise<SaasAccount> {
    return saasAccount(ctx);
  }

  @Query(() => [SaasInvoice], { description: 'Platform: SaaS invoices across tenants by status (default OPEN: what tenants owe), oldest due first.' })
  async saasInvoices(
    @Arg('status', () => SaasInvoiceStatusEnum, { nullable: true, defaultValue: SaasInvoiceStatusEnum.OPEN }) status: SaasInvoiceStatusEnum,
    @Args(() => PageArgs) { first }: PageArgs,
    @Ctx() ctx: BillingContext,
  ) {
    return listSaasInvoices(ctx, status, pageSize(first));
  }

  @Mutation(() => PlatformPaymentOrder, {
    description:
      'The platform payment order of an open SaaS invoice (created once; retried after a gateway outage). Also for a suspended tenant: paying reactivates it.',
  })
  async paySaasInvoice(@Arg('invoiceId', () => ID) invoiceId: string, @Ctx() ctx: BillingContext) {
    return toPlatformOrder(await paySaasInvoice(ctx, invoiceId));
  }

  @Mutation(() => SaasBillingCycleReport, {
    description: 'Platform: runs the SaaS billing cycle now (renewal invoices, dunning, suspension, reactivation); safe to repeat.',
  })
  async runSaasBillingCycle(
    @Arg('at', () => Date, { nullable: true, description: 'Default: now. Earlier instants catch up; a future one is refused (it would suspend early).' })
    at: Date | null,
    @Ctx() ctx: BillingContext,
  ) {
    const current = now(ctx);
    if (at && at.getTime() > current.getTime() + 60_000) throw badInput('at', 'must not be in the future');
    return runBillingCycle(billingDeps(ctx.services), at ?? current);
  }
}

@Resolver(() => SaasInvoice)
export class SaasInvoiceResolver {
  @FieldResolver(() => PlatformPaymentOrder, { nullable: true })
  async paymentOrder(@Root() inv: SaasInvoice, @Ctx() ctx: BillingContext) {
    return inv.orderId ? invoiceOrder(ctx, inv.orderId) : null;
  }
}

@Resolver(() => SubscriptionChange)
export class SubscriptionChangeInvoiceResolver {
  @FieldResolver(() => SaasInvoice, { nullable: true, description: 'The invoice of a change that costs money; the change applies when it is paid.' })
  async invoice(@Root() c: SubscriptionChange, @Ctx() ctx: BillingContext) {
    return c.invoiceId ? findSaasInvoice(ctx, c.invoiceId) : null;
  }
}
