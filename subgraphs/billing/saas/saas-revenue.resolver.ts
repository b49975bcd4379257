import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum } from 'class-validator';
import { Args, ArgsType, Ctx, Field, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { RevenueArgs } from '../fees/revenue.input';
import { saasRevenue } from './saas-revenue.service';
import { SaasRevenueGroupBy, SaasRevenueRow } from './saas-revenue.type';

@ArgsType()
class SaasRevenueArgs extends RevenueArgs {
  @Field(() => [SaasRevenueGroupBy])
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsEnum(SaasRevenueGroupBy, { each: true })
  groupBy: SaasRevenueGroupBy[];
}

@Resolver()
export class SaasRevenueResolver {
  @Query(() => [SaasRevenueRow], { description: 'Platform: SaaS subscription revenue across tenants, by plan, cycle and/or month.' })
  async saasRevenue(@Args(() => SaasRevenueArgs) { groupBy, fromMonth, toMonth }: SaasRevenueArgs, @Ctx() ctx: BillingContext): Promise<SaasRevenueRow[]> {
    return saasRevenue(ctx, groupBy, fromMonth, toMonth);
  }
}
