import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Library } from './library.type';
import { Student } from './student.type';

export enum BookingStatus {
  CONFIRMED = 'confirmed',
  CANCELLED = 'cancelled',
}
registerEnumType(BookingStatus, { name: 'BookingStatus' });

@ObjectType({ description: 'A seat reserved for a student on one day.' })
export class Booking {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Library) library: Library;
  @Field(() => Int) seatNumber: number;
  @Field(() => String, { description: 'YYYY-MM-DD.' }) date: string;
  @Field(() => BookingStatus) status: BookingStatus;
  @Field(() => Date) createdAt: Date;
}
