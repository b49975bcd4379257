import { IsInt, Max, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';

/** How long without a check-in makes a student idle: up to a year. */
@ArgsType()
export class ChurnDaysArgs {
  @Field(() => Int, { description: '1..365' }) @IsInt() @Min(1) @Max(365) days: number;
}
