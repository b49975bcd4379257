import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ReferralStatus } from './referral.model';
import { ReferralRewardType } from './settings.model';
import { Student } from './student.type';

registerEnumType(ReferralStatus, { name: 'ReferralStatus', description: "PENDING until the referred student's first payment." });

@ObjectType({ description: 'What the referrer earned (money: payments:read).' })
export class ReferralReward {
  @Field(() => ReferralRewardType) type: ReferralRewardType;
  @Field(() => Int, { description: 'Paise.' }) amount: number;
}

@ObjectType({ description: 'One student referred by another through a referral code.' })
export class Referral {
  @Field(() => ID) id: string;
  @Field(() => Student, { nullable: true }) referrer?: Student | null;
  @Field(() => Student, { nullable: true }) referee?: Student | null;
  @Field(() => String) code: string;
  @Field(() => ReferralStatus) status: ReferralStatus;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date, { nullable: true }) convertedAt?: Date | null;
  @Field(() => ReferralReward, { nullable: true, description: 'Set on conversion.' }) reward?: ReferralReward | null;
}

@ObjectType({ description: 'Referral programme totals of the tenant.' })
export class ReferralStats {
  @Field(() => Int) codesIssued: number;
  @Field(() => Int) referrals: number;
  @Field(() => Int) conversions: number;
  @Field(() => Int, { description: 'Rewards recorded (one per conversion).' }) rewards: number;
  @Field(() => Int, { nullable: true, description: 'Sum of rewards in paise (payments:read).' }) rewardsTotal?: number | null;
}
