import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MembershipStatus } from './membership.model';
import { FeeDuration } from './period.service';
import { SeatKind } from './plan.model';
import { FeePlan } from './plan.type';

registerEnumType(MembershipStatus, { name: 'MembershipStatus' });

@ObjectType({ description: "The terms a membership was sold on: its plan's at the time, whatever the plan says now." })
export class SoldTerms {
  @Field(() => String) planName: string;
  @Field(() => FeeDuration) duration: FeeDuration;
  @Field(() => Int, { nullable: true }) durationDays?: number;
  @Field(() => Int, { description: 'Paise per period.' }) price: number;
  @Field(() => Int, { description: 'Paise.' }) securityDeposit: number;
  @Field(() => Boolean) gstApplicable: boolean;
  @Field(() => Int, { nullable: true }) lateFee?: number;
  @Field(() => Int) graceDays: number;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A student on a fee plan: periods, dates and status. Dates are YYYY-MM-DD in India.' })
export class Membership {
  @Field(() => ID) id: string;
  @Field(() => ID) studentId: string;
  @Field(() => ID) libraryId: string;
  @Field(() => ID) planId: string;
  @Field(() => ID, { nullable: true }) shiftId?: string;
  @Field(() => SeatKind) seatKind: SeatKind;
  @Field(() => MembershipStatus) status: MembershipStatus;
  @Field(() => String) startDate: string;
  @Field(() => String, { description: 'Last day covered (inclusive); freezes move it.' }) endDate: string;
  @Field(() => Int, { description: '1 for the first period; one more per renewal or plan change.' }) period: number;
  @Field(() => String) periodStart: string;
  @Field(() => Boolean, { description: 'False once cancelled: no more renewals.' }) autoRenew: boolean;
  @Field(() => String, { nullable: true, description: 'Last frozen day while FROZEN.' }) frozenUntil?: string;
  @Field(() => SoldTerms) terms: SoldTerms;
  @Field(() => FeePlan, { nullable: true, description: 'The plan as it is now (null if gone).' }) plan?: FeePlan;
}
