import { Field, ID, ObjectType } from 'type-graphql';
import { Library } from './library.type';
import { Student } from './student.type';

@ObjectType({ description: 'One visit: check-in, and check-out once the student leaves.' })
export class Attendance {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Library) library: Library;
  @Field(() => Date) checkInAt: Date;
  @Field(() => Date, { nullable: true }) checkOutAt?: Date | null;
}
