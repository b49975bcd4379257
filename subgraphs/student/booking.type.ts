import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BookingKind } from './booking.input';
import { Library } from './library.type';
import { Student } from './student.type';
import { TimeSlot } from './time-slot.type';

export enum BookingStatus {
  CONFIRMED = 'confirmed',
  CANCELLED = 'cancelled',
}
registerEnumType(BookingStatus, { name: 'BookingStatus' });

@ObjectType({ description: 'A seat reserved for a student: hours of one day, a slot of one day, or a slot over a date range.' })
export class Booking {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Library) library: Library;
  @Field(() => Int) seatNumber: number;
  @Field(() => String, { description: 'First day, YYYY-MM-DD.' }) date: string;
  @Field(() => String, { description: 'Last day (inclusive), YYYY-MM-DD.' }) endDate: string;
  @Field(() => BookingKind) kind: BookingKind;
  @Field(() => TimeSlot, { nullable: true, description: 'The old slot its shift stands for; null for HOURLY and other shifts.' }) slot?: TimeSlot | null;
  @Field(() => Int, { description: 'First hour held each day (0..23).' }) fromHour: number;
  @Field(() => Int, { description: 'End hour each day, exclusive; past 24 for an overnight shift (30 = 06:00 the next day).' }) toHour: number;
  @Field(() => BookingStatus) status: BookingStatus;
  @Field(() => Date) createdAt: Date;
}
