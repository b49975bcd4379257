import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, Int } from 'type-graphql';
import { IsDay, IsMonth } from '../../../core/validation/calendar';
import { ActivityGranularity } from './analytics.type';

/** A day range of a report, optionally one library. */
@ArgsType()
export class AnalyticsRangeArgs {
  @Field(() => String, { description: 'YYYY-MM-DD (tenant time zone)' }) @IsDay() from: string;
  @Field(() => String, { description: 'YYYY-MM-DD, inclusive; at most 366 days after from' }) @IsDay() to: string;
  @Field(() => ID, { nullable: true, description: 'One library; default: every library the caller sees.' }) @IsOptional() libraryId?: string | null;
}

@ArgsType()
export class StudentActivityArgs extends AnalyticsRangeArgs {
  @Field(() => ActivityGranularity, { defaultValue: ActivityGranularity.DAY }) @IsEnum(ActivityGranularity) granularity: ActivityGranularity;
}

@ArgsType()
export class StudentRetentionArgs {
  @Field(() => String, { description: 'First cohort month YYYY-MM' }) @IsMonth() fromMonth: string;
  @Field(() => String, { description: 'Last cohort month YYYY-MM, at most 24 months after fromMonth' }) @IsMonth() toMonth: string;
  @Field(() => Int, { defaultValue: 3, description: 'Months after joining to report: 1..12' }) @IsInt() @Min(1) @Max(12) months: number;
  @Field(() => ID, { nullable: true, description: 'One library; default: every library the caller sees.' }) @IsOptional() libraryId?: string | null;
}
