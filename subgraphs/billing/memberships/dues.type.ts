import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { Student } from '../fees/student.type';
import { ChargeKind } from './dues-ledger.service';
import { Membership } from './membership.type';

registerEnumType(ChargeKind, {
  name: 'ChargeKind',
  description: 'DEPOSIT is held apart and never counted as dues; an ADJUSTMENT with a negative amount is a credit.',
});

@ObjectType({ description: 'Something the student owes (or, negative, a credit in their favour).' })
export class Charge {
  @Field(() => ID) id: string;
  @Field(() => ChargeKind) kind: ChargeKind;
  @Field(() => Int, { description: 'Paise; negative for a credit.' }) amount: number;
  @Field(() => Int, { description: 'Paise still unpaid.' }) outstanding: number;
  @Field(() => String, { description: 'YYYY-MM-DD' }) dueDate: string;
  @Field(() => String) description: string;
  @Field(() => ID, { nullable: true }) membershipId?: string;
}

@ObjectType({ description: "A student's dues ledger. amountDue = sum of dues charges − what was allocated to them." })
export class Dues {
  @Field(() => Int, { description: 'Paise owed (deposits excluded).' }) amountDue: number;
  @Field(() => Int, { description: 'Paise paid ahead, applied to the next charge automatically.' }) advanceCredit: number;
  @Field(() => Int, { description: 'Paise of security deposit held (refundable, not revenue).' }) depositHeld: number;
  @Field(() => Int, { description: 'Paise of security deposit still to be paid.' }) depositDue: number;
  @Field(() => String, { nullable: true, description: 'Due date of the oldest unpaid charge, once past.' }) overdueSince?: string;
  @Field(() => String, { nullable: true, description: "The next date money falls due: an unpaid charge not yet due, or the running membership's renewal." })
  nextDueDate?: string;
  @Field(() => Membership, { nullable: true, description: 'The running (active or frozen) membership.' }) membership?: Membership;
  @Field(() => [Charge], { description: 'Every charge and credit, oldest first.' }) charges: Charge[];
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'How much a student owes and since when (no personal data).' })
export class DuesSummary {
  @Field(() => Int, { description: 'Paise owed (deposits excluded).' }) amountDue: number;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: due date of the oldest unpaid charge, once past.' }) overdueSince?: string;
}

@ObjectType({ description: 'A student who owes money, from the dues ledger.' })
export class PendingDue {
  @Field(() => Student) student: Student;
  @Field(() => String, { description: 'Its place in the list: pass as `after` to read the next page.' }) cursor: string;
  @Field(() => Int, { description: 'Paise owed (deposits excluded).' }) amountDue: number;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD: due date of the oldest unpaid charge, once past.' }) overdueSince?: string;
  @Field(() => Int, { description: 'Days since overdueSince (0 when not yet overdue).' }) daysOverdue: number;
  @Field(() => Date, { nullable: true, description: 'Latest payment (null: never paid).' }) lastPaidAt?: Date;
  @Field(() => Int, { nullable: true, deprecationReason: 'Use daysOverdue: dues come from the ledger now.' }) daysSinceLastPayment?: number;
}
