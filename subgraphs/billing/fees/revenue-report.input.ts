import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsEnum } from 'class-validator';
import { ArgsType, Field } from 'type-graphql';
import { RevenueArgs } from './revenue.input';
import { RevenueGroupBy } from './revenue-report.service';

@ArgsType()
export class RevenueReportArgs extends RevenueArgs {
  @Field(() => [RevenueGroupBy])
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsEnum(RevenueGroupBy, { each: true })
  groupBy: RevenueGroupBy[];
}
