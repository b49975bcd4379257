import { IsBoolean, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { PageSize } from '../../../core/pagination';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsDay } from '../../../core/validation/calendar';

@InputType()
export class AssignFeePlanInput {
  @Field(() => ID) studentId: string;
  @Field(() => ID) planId: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (India); default today.' })
  @IsOptional()
  @IsDay({ path: 'input.startDate', message: 'must be a date YYYY-MM-DD' })
  startDate?: string | null;
  @Field(() => String, { description: 'Retries with the same key return the first membership.' }) @Length(8, 100) idempotencyKey: string;
}

@ArgsType()
export class RenewMembershipArgs {
  @Field(() => ID) membershipId: string;
  @Field(() => String, {
    nullable: true,
    description: 'Retries with the same key return the first renewal. Without one, a renewal is still one per period for concurrent requests.',
  })
  @IsOptional()
  @Length(8, 100)
  idempotencyKey?: string | null;
}

@ArgsType()
export class ChangeMembershipPlanArgs {
  @Field(() => ID) membershipId: string;
  @Field(() => ID) planId: string;
  @Field(() => String) @Length(8, 100) idempotencyKey: string;
}

@ArgsType()
export class FreezeMembershipArgs {
  @Field(() => ID) membershipId: string;
  @Field(() => Int, { description: 'Days from today, 1..90.' }) @IsInt() @Min(1) @Max(90) days: number;
  @Field(() => String) @Length(8, 100) idempotencyKey: string;
}

@ArgsType()
export class CancelMembershipArgs {
  @Field(() => ID) membershipId: string;
  @Field(() => Boolean, { description: 'True: ends today and credits the unused days. False: no more renewals, runs to its end date.' })
  @IsBoolean()
  refund: boolean;
}

@ArgsType()
export class MembershipsArgs {
  @Field(() => ID, { nullable: true }) libraryId?: string | null;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: '1..200' }) @PageSize() first?: number | null;
}
