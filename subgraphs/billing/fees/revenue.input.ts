import { IsOptional, Matches } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { MONTH } from './payment.input';

@ArgsType()
export class RevenueArgs {
  @Field(() => String, { nullable: true, description: 'First month included, YYYY-MM.' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be YYYY-MM' })
  fromMonth?: string;

  @Field(() => String, { nullable: true, description: 'Last month included, YYYY-MM.' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be YYYY-MM' })
  toMonth?: string;
}
