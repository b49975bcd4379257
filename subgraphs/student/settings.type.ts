import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsEnum, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { ReferralRewardType } from './settings.model';

registerEnumType(ReferralRewardType, { name: 'ReferralRewardType', description: 'What a referrer earns when the referred student first pays.' });

@ObjectType({ description: 'Tenant settings of the student subgraph (defaults until changed).' })
export class StudentSettings {
  @Field(() => String, { description: 'IANA time zone of attendance days (default Asia/Kolkata).' }) timezone: string;
  @Field(() => ReferralRewardType) referralRewardType: ReferralRewardType;
  @Field(() => Int, { nullable: true, description: 'Reward per conversion, in paise (default 10000 = ₹100).' })
  referralRewardAmount?: number | null;
}

@InputType()
export class StudentSettingsInput {
  @Field(() => String, { nullable: true, description: 'Applies to visits recorded from now on.' })
  @IsOptional() @Length(1, 64) timezone?: string;
  @Field(() => ReferralRewardType, { nullable: true }) @IsOptional() @IsEnum(ReferralRewardType) referralRewardType?: ReferralRewardType;
  @Field(() => Int, { nullable: true, description: 'Paise, 0..10,000,000.' })
  @IsOptional() @IsInt() @Min(0) @Max(10_000_000) referralRewardAmount?: number;
}
