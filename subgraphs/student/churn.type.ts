import { Field, Int, ObjectType } from 'type-graphql';
import { Student } from './student.type';

@ObjectType({ description: 'An active student without a check-in for the asked number of days.' })
export class ChurnRiskEntry {
  @Field(() => Student) student: Student;
  @Field(() => Date, { nullable: true, description: 'Null: never checked in.' }) lastCheckInAt?: Date | null;
  @Field(() => Int, { description: 'Whole days since the last check-in, or since joining if none.' }) daysInactive: number;
}
