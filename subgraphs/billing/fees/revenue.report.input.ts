import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { RevenueArgs } from './revenue.input';
import { RevenueGroupBy } from './revenue.report';

@ArgsType()
export class RevenueReportArgs extends RevenueArgs {
  @Field(() => [RevenueGroupBy])
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsEnum(RevenueGroupBy, { each: true })
  groupBy: RevenueGroupBy[];
}

@ArgsType()
export class PendingDuesArgs {
  @Field(() => Int, { description: 'Days since the latest payment, more than which a student is listed (1..3650).' })
  @IsInt() @Min(1) @Max(3650)
  olderThanDays: number;

  @Field(() => Int, { nullable: true, defaultValue: 100, description: '1..500' })
  @IsOptional() @IsInt() @Min(1) @Max(500)
  first?: number | null;
}
