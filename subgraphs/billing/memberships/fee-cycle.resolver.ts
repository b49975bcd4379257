import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { nowOf } from './clock.service';
import { expiringNotice, runFeeCycle } from './fee-cycle.service';
import { FeeCycleReport } from './fee-cycle.type';

@Resolver()
export class FeeCycleResolver {
  @Mutation(() => FeeCycleReport, {
    description: "Runs the fee cycle for the caller's tenant now (renewals, late fees, expiries), as the periodic job does; safe to repeat.",
  })
  async runFeeCycle(
    @Arg('at', () => Date, { nullable: true, description: 'The instant to run as; default now.' }) at: Date | null,
    @Ctx() ctx: BillingContext,
  ) {
    const tenantId = (await ctx.tenant())._id.toHexString();
    return runFeeCycle(await ctx.tenantDb(), at ?? nowOf(ctx.services), expiringNotice(ctx.emit, tenantId));
  }
}
