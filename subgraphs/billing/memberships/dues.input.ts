import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { PAGE_MAX, PageSize } from '../../../core/pagination';
import { ArgsType, Field, ID, Int } from 'type-graphql';

@ArgsType()
export class PendingDuesArgs {
  @Field(() => Int, {
    nullable: true,
    description: 'Only students whose oldest unpaid charge is more than this many days past due (0..3650); default: everyone who owes.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  olderThanDays?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 100, description: `1..${PAGE_MAX}` })
  @PageSize()
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'The `cursor` of the last row of the previous page.' })
  @IsOptional()
  @Length(1, 100)
  after?: string | null;

  @Field(() => ID, { nullable: true }) libraryId?: string | null;
}

@ArgsType()
export class ReleaseDepositArgs {
  @Field(() => ID) studentId: string;
  @Field(() => String) @Length(8, 100) idempotencyKey: string;
}
