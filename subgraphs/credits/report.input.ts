import { IsEnum, IsOptional } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { IsDay, IsMonth } from '../../core/validation/calendar';
import { NotBefore } from '../../core/validation/order';
import { Channel } from './channel.type';
import { SpendPeriod } from './report.type';

/** Arguments of `creditProfit`. The range cap (60 months) stays in report.service.ts with the arithmetic. */
@ArgsType()
export class CreditProfitArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => Channel, { nullable: true }) channel?: Channel | null;
  @Field(() => String) @IsMonth() @NotBefore('fromMonth') toMonth: string;
  @Field(() => String) @IsMonth() fromMonth: string;
}

/** Arguments of `creditUsage`. The range cap (366 days) stays in report.service.ts. */
@ArgsType()
export class CreditUsageArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => Channel, { nullable: true }) channel?: Channel | null;
  @Field(() => String) @IsDay() @NotBefore('fromDay') toDay: string;
  @Field(() => String) @IsDay() fromDay: string;
}

/** Arguments of `messagingSpend`. The range caps (12 months by day, 36 by month) stay in report.service.ts. */
@ArgsType()
export class MessagingSpendArgs {
  @Field(() => String, { description: 'First month included, YYYY-MM.' }) @IsMonth() fromMonth: string;
  @Field(() => String, { description: 'Last month included, YYYY-MM.' }) @IsMonth() @NotBefore('fromMonth') toMonth: string;
  @Field(() => SpendPeriod, { nullable: true, description: 'One row per day (the default) or per month, and channel.' })
  @IsOptional()
  @IsEnum(SpendPeriod)
  by?: SpendPeriod | null;
  @Field(() => Channel, { nullable: true }) channel?: Channel | null;
}
