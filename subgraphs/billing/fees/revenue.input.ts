import { IsOptional } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { IsMonth } from '../../../core/validation/calendar';
import { NotBefore } from '../../../core/validation/order';

@ArgsType()
export class RevenueArgs {
  @Field(() => String, { nullable: true, description: 'First month included, YYYY-MM.' })
  @IsOptional()
  @IsMonth()
  fromMonth?: string;

  @Field(() => String, { nullable: true, description: 'Last month included, YYYY-MM.' })
  @IsOptional()
  @IsMonth()
  @NotBefore('fromMonth')
  toMonth?: string;
}
