import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { IsDay } from '../../core/validation/calendar';
import { TimeSlot } from './time-slot.type';

export enum BookingKind {
  HOURLY = 'hourly',
  DAILY = 'daily',
  MONTHLY = 'monthly',
}
registerEnumType(BookingKind, { name: 'BookingKind' });

@InputType()
export class BookSeatInput {
  @Field(() => ID) studentId: string;
  @Field(() => ID) libraryId: string;
  @Field(() => Int, { description: '1..library capacity.' }) @IsInt() @Min(1) @Max(10_000) seatNumber: number;
  @Field(() => String, { description: 'YYYY-MM-DD.' }) @IsDay() date: string;
  @Field(() => ID, {
    nullable: true,
    description: 'An ACTIVE membership of this student at this library (billing): the booking uses its shift and must lie within its dates.',
  })
  @IsOptional()
  membershipId?: string;
}

@InputType({
  description:
    'HOURLY: date + fromHour/toHour; DAILY: date + shiftId (or slot); MONTHLY: date (+ endDate, default one month) + shiftId (or slot). MONTHLY holds the days of the range the shift runs on.',
})
export class CreateBookingInput extends BookSeatInput {
  @Field(() => BookingKind) @IsEnum(BookingKind) kind: BookingKind;
  @Field(() => ID, { nullable: true, description: "DAILY/MONTHLY: one of the library's active shifts." }) @IsOptional() shiftId?: string;
  @Field(() => TimeSlot, {
    nullable: true,
    description: "DAILY/MONTHLY, for old clients: the library's shift standing for this slot; default FULL_DAY when no shiftId.",
  })
  @IsOptional()
  @IsEnum(TimeSlot)
  slot?: TimeSlot;
  @Field(() => Int, { nullable: true, description: 'HOURLY: first hour, 6..21.' }) @IsOptional() @IsInt() @Min(6) @Max(21) fromHour?: number;
  @Field(() => Int, { nullable: true, description: 'HOURLY: end hour (exclusive), 7..22.' }) @IsOptional() @IsInt() @Min(7) @Max(22) toHour?: number;
  @Field(() => String, { nullable: true, description: 'MONTHLY: last day (inclusive), at most 31 days.' })
  @IsOptional()
  @IsDay()
  endDate?: string;
}

/** Filters of `bookings`. */
@ArgsType()
export class BookingsArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) @IsOptional() @IsDay() date?: string | null;
  @Field(() => ID, { nullable: true }) libraryId?: string | null;
  @Field(() => ID, { nullable: true }) studentId?: string | null;
}
