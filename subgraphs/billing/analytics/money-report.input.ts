import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { IsMonth } from '../../../core/validation/calendar';
import { NotBefore } from '../../../core/validation/order';
import { MoneyGroupBy } from './money-report.type';

/** A month range of the money reports (the 36-month cap stays in money-report.service.ts). */
@ArgsType()
export class MoneyRangeArgs {
  @Field(() => String, { description: 'First month included, YYYY-MM.' })
  @IsMonth()
  fromMonth: string;

  @Field(() => String, { description: 'Last month included, YYYY-MM.' })
  @IsMonth()
  @NotBefore('fromMonth')
  toMonth: string;

  @Field(() => ID, { nullable: true, description: "One library only (else every library of the caller's scope)." })
  libraryId?: string;
}

@ArgsType()
export class CollectionsArgs extends MoneyRangeArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'One row per month and library instead of one per month.' })
  byLibrary: boolean;
}

@ArgsType()
export class RevenueBreakdownArgs extends MoneyRangeArgs {
  @Field(() => [MoneyGroupBy])
  @ArrayMinSize(1)
  @ArrayMaxSize(4)
  @ArrayUnique()
  @IsEnum(MoneyGroupBy, { each: true })
  groupBy: MoneyGroupBy[];
}
