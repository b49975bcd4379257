import { IsEnum, IsInt, IsOptional, IsTimeZone, Length, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { ReferralRewardType } from './settings.model';

@InputType()
export class StudentSettingsInput {
  @Field(() => String, { nullable: true, description: 'Applies to visits recorded from now on.' })
  @IsOptional()
  @Length(1, 64)
  @IsTimeZone({ message: 'must be an IANA time zone, e.g. Asia/Kolkata' })
  timezone?: string;
  @Field(() => ReferralRewardType, { nullable: true }) @IsOptional() @IsEnum(ReferralRewardType) referralRewardType?: ReferralRewardType;
  @Field(() => Int, { nullable: true, description: 'Paise, 0..10,000,000.' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  referralRewardAmount?: number;
}
