import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { RevenueArgs } from './revenue.input';
import { revenueSummary } from './revenue.service';
import { RevenueRow } from './revenue.type';

@Resolver(() => RevenueRow)
export class RevenueResolver {
  @Query(() => [RevenueRow], { description: 'Paid revenue per library and month, by month then library.' })
  async revenueSummary(@Args(() => RevenueArgs) { fromMonth, toMonth }: RevenueArgs, @Ctx() ctx: BillingContext): Promise<RevenueRow[]> {
    return revenueSummary(ctx, fromMonth, toMonth);
  }
}
