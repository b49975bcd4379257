import { IsBoolean, IsDate, IsEnum, IsOptional, Length } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { BillingCycle, SaasPlan } from './plan-catalog.service';

@ArgsType()
export class KeyArgs {
  @Field(() => String, { description: 'Retries with the same key return the first result and charge once.' })
  @Length(8, 100)
  idempotencyKey: string;
}

@ArgsType()
export class PlanArgs extends KeyArgs {
  @Field(() => SaasPlan) @IsEnum(SaasPlan) plan: SaasPlan;
  @Field(() => BillingCycle) @IsEnum(BillingCycle) cycle: BillingCycle;
}

@ArgsType()
export class SubscribeArgs extends PlanArgs {
  @Field(() => Boolean, { nullable: true, defaultValue: false, description: '14-day free trial (first subscription only).' })
  @IsOptional()
  @IsBoolean()
  trial?: boolean;
}

@ArgsType()
export class ImportSubscriptionArgs extends PlanArgs {
  @Field(() => Date, { description: 'Start of the period already paid (at most 400 days ago, not in the future).' }) @IsDate() periodStart: Date;
}
