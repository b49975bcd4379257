import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PUBLIC_TAG } from '../../core/federation/contract';
import { Library } from './library.type';
import { Student } from './student.type';

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'One visit: check-in, and check-out once the student leaves.' })
export class Attendance {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Library) library: Library;
  @Field(() => Date) checkInAt: Date;
  @Field(() => Date, { nullable: true }) checkOutAt?: Date | null;
}
