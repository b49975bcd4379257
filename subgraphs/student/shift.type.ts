import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TimeSlot } from './time-slot.type';

export enum Weekday {
  MONDAY = 'monday',
  TUESDAY = 'tuesday',
  WEDNESDAY = 'wednesday',
  THURSDAY = 'thursday',
  FRIDAY = 'friday',
  SATURDAY = 'saturday',
  SUNDAY = 'sunday',
}
registerEnumType(Weekday, { name: 'Weekday' });

/** JavaScript's getUTCDay() order (0 = Sunday). */
const BY_JS_DAY = [Weekday.SUNDAY, Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY, Weekday.SATURDAY];
export const ALL_WEEKDAYS = [...BY_JS_DAY.slice(1), Weekday.SUNDAY];
export const weekdayOf = (day: string): Weekday => BY_JS_DAY[new Date(`${day}T00:00:00Z`).getUTCDay()];

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A bookable time window of a library, inside its opening hours (Asia/Kolkata). Fee plans price shifts.' })
export class Shift {
  @Field(() => ID) id: string;
  @Field(() => ID) libraryId: string;
  @Field(() => String, { description: "Unique among the library's active shifts." }) name: string;
  @Field(() => String, { description: 'HH:MM, on the hour.' }) startTime: string;
  @Field(() => String, { description: 'HH:MM, on the hour; before startTime when overnight (ends the next day).' }) endTime: string;
  @Field(() => [Weekday], { description: 'Days the shift starts on.' }) days: Weekday[];
  @Field(() => Boolean, { description: 'Ends after midnight (endTime before startTime).' }) overnight: boolean;
  @Field(() => Boolean, { description: 'False once retired: no new bookings; existing ones stay.' }) active: boolean;
  @Field(() => TimeSlot, { nullable: true, description: 'The old fixed slot this shift stands for (old clients booking by slot get it).' })
  slot?: TimeSlot | null;
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: 'A shift on one day: seats booked for it and visits during it.' })
export class ShiftOccupancy {
  @Field(() => Shift) shift: Shift;
  @Field(() => String, { description: 'YYYY-MM-DD (the day the shift starts).' }) date: string;
  @Field(() => Int) capacity: number;
  @Field(() => Int, { description: 'Seats some booking holds for part or all of the shift.' }) booked: number;
  @Field(() => Int, { description: 'Seats free for the whole shift.' }) free: number;
  @Field(() => Int, { description: 'Check-ins that overlap the shift window (still inside, or left after it began).' }) checkedIn: number;
  @Field(() => Float, { description: 'checkedIn against capacity, 0-100, one decimal.' }) percent: number;
  @Field(() => Boolean, { description: 'The shift is running now.' }) current: boolean;
}
