import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { CreditProfitArgs, CreditUsageArgs, MessagingSpendArgs } from './report.input';
import { creditProfit, creditUsage, messagingSpend } from './report.service';
import { CreditProfitRow, CreditUsageRow, MessagingSpendRow } from './report.type';

@Resolver()
export class CreditReportResolver {
  @Query(() => [CreditProfitRow], { description: 'Profit per month and channel from credit sales (platform).' })
  creditProfit(@Args() { fromMonth, toMonth, channel }: CreditProfitArgs, @Ctx() ctx: CreditsContext) {
    return creditProfit(ctx, fromMonth, toMonth, channel ?? undefined);
  }

  @Query(() => [CreditUsageRow], { description: "The caller's tenant: message debits per day and channel." })
  creditUsage(@Args() { fromDay, toDay, channel }: CreditUsageArgs, @Ctx() ctx: CreditsContext) {
    return creditUsage(ctx, fromDay, toDay, channel ?? undefined);
  }

  @Query(() => [MessagingSpendRow], { description: "The caller's tenant: messages, failures and credits spent per day or month and channel." })
  messagingSpend(@Args(() => MessagingSpendArgs) args: MessagingSpendArgs, @Ctx() ctx: CreditsContext): Promise<MessagingSpendRow[]> {
    return messagingSpend(ctx, args);
  }
}
