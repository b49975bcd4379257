import { IsEnum, IsInt, IsISO8601, IsOptional, Matches, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { TimeSlot, YMD } from './time';

export { YMD };

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
  @Field(() => String, { description: 'YYYY-MM-DD.' })
  @Matches(YMD, { message: 'must be YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a real date' })
  date: string;
}

@InputType({ description: 'HOURLY: date + fromHour/toHour; DAILY: date + slot; MONTHLY: date (+ endDate, default one month) + slot.' })
export class CreateBookingInput extends BookSeatInput {
  @Field(() => BookingKind) @IsEnum(BookingKind) kind: BookingKind;
  @Field(() => TimeSlot, { nullable: true, description: 'DAILY/MONTHLY; default FULL_DAY.' }) @IsOptional() @IsEnum(TimeSlot) slot?: TimeSlot;
  @Field(() => Int, { nullable: true, description: 'HOURLY: first hour, 6..21.' }) @IsOptional() @IsInt() @Min(6) @Max(21) fromHour?: number;
  @Field(() => Int, { nullable: true, description: 'HOURLY: end hour (exclusive), 7..22.' }) @IsOptional() @IsInt() @Min(7) @Max(22) toHour?: number;
  @Field(() => String, { nullable: true, description: 'MONTHLY: last day (inclusive), at most 31 days.' })
  @IsOptional() @Matches(YMD, { message: 'must be YYYY-MM-DD' }) @IsISO8601({ strict: true }, { message: 'must be a real date' })
  endDate?: string;
}
