import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ReferralRewardType } from './settings.model';

registerEnumType(ReferralRewardType, { name: 'ReferralRewardType', description: 'What a referrer earns when the referred student first pays.' });

@ObjectType({ description: 'Tenant settings of the student subgraph (defaults until changed).' })
export class StudentSettings {
  @Field(() => String, { description: 'IANA time zone of attendance days (default Asia/Kolkata).' }) timezone: string;
  @Field(() => ReferralRewardType) referralRewardType: ReferralRewardType;
  @Field(() => Int, { nullable: true, description: 'Reward per conversion, in paise (default 10000 = ₹100).' })
  referralRewardAmount?: number | null;
}
