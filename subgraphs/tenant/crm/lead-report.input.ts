import { IsDate } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';

export const FUNNEL_MAX_DAYS = 366;

@ArgsType()
export class LeadFunnelArgs {
  @Field(() => Date, { description: 'Leads created at or after this time.' }) @IsDate() from: Date;
  @Field(() => Date, { description: `Leads created before this time; at most ${FUNNEL_MAX_DAYS} days after from.` }) @IsDate() to: Date;
}
