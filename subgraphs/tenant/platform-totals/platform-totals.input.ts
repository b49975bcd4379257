import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

@ArgsType()
export class PlatformTotalsArgs {
  @Field(() => Int, { defaultValue: 12, description: 'Months of newTenantsByMonth, 1..36.' }) @IsInt() @Min(1) @Max(36) months: number;
}
