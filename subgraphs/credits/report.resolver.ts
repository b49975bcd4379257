import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { creditProfit, creditUsage } from './report.service';
import { CreditProfitRow, CreditUsageRow } from './report.type';

@Resolver()
export class CreditReportResolver {
  @Query(() => [CreditProfitRow], { description: 'Profit per month and channel from credit sales (platform).' })
  creditProfit(
    @Arg('fromMonth', () => String) fromMonth: string,
    @Arg('toMonth', () => String) toMonth: string,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return creditProfit(ctx, fromMonth, toMonth, channel ?? undefined);
  }

  @Query(() => [CreditUsageRow], { description: "The caller's tenant: message debits per day and channel." })
  creditUsage(
    @Arg('fromDay', () => String) fromDay: string,
    @Arg('toDay', () => String) toDay: string,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return creditUsage(ctx, fromDay, toDay, channel ?? undefined);
  }
}
