import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { FeeDuration } from './period.service';
import { SeatKind } from './plan.model';

registerEnumType(FeeDuration, { name: 'FeeDuration', description: 'Length of one period; DAYS uses durationDays.' });
registerEnumType(SeatKind, { name: 'SeatKind', description: "RESERVED: a seat of the student's own; ANY: any free seat." });

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'What a library sells: a price per period. Its money terms never change; a new price is a new plan.' })
export class FeePlan {
  @Field(() => ID) id: string;
  @Field(() => ID) libraryId: string;
  @Field(() => String) name: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => FeeDuration) duration: FeeDuration;
  @Field(() => Int, { nullable: true, description: 'Days per period when duration is DAYS.' }) durationDays?: number;
  @Field(() => Int, { description: 'Paise per period.' }) price: number;
  @Field(() => SeatKind) seatKind: SeatKind;
  @Field(() => ID, { nullable: true, description: "The shift (student subgraph) the plan is for; null: the library's whole day." }) shiftId?: string;
  @Field(() => Int, { description: 'Paise, charged once when a membership starts and held apart from dues.' }) securityDeposit: number;
  @Field(() => Boolean, { description: 'Whether GST is invoiced on this fee.' }) gstApplicable: boolean;
  @Field(() => Int, { nullable: true, description: 'Paise added once to a charge still unpaid graceDays after its due date.' }) lateFee?: number;
  @Field(() => Int) graceDays: number;
  @Field(() => Boolean, { description: 'A retired plan is not sold any more; its memberships run on.' }) retired: boolean;
  @Field(() => Date, { nullable: true }) retiredAt?: Date;
  @Field(() => Date) createdAt: Date;
}
