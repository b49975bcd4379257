import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { CollectionsArgs, RevenueBreakdownArgs } from './money-report.input';
import { collectionsReport, revenueBreakdown } from './money-report.service';
import { CollectionsRow, RevenueBreakdownRow } from './money-report.type';

@Resolver()
export class MoneyReportResolver {
  @Query(() => [CollectionsRow], {
    description: 'Dues billed against money collected, per month (and library), with the collection rate and what is outstanding at month end.',
  })
  collectionsReport(@Args(() => CollectionsArgs) args: CollectionsArgs, @Ctx() ctx: BillingContext): Promise<CollectionsRow[]> {
    return collectionsReport(ctx, args);
  }

  @Query(() => [RevenueBreakdownRow], { description: 'Money received and refunded, grouped by any of month, library, fee plan and payment method.' })
  revenueBreakdown(@Args(() => RevenueBreakdownArgs) args: RevenueBreakdownArgs, @Ctx() ctx: BillingContext): Promise<RevenueBreakdownRow[]> {
    return revenueBreakdown(ctx, args);
  }
}
