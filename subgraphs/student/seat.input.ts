import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { IsDay } from '../../core/validation/calendar';
import { AtMostOneOf } from '../../core/validation/one-of';
import { TimeSlot } from './time-slot.type';

@InputType()
export class SeatInput {
  @Field(() => Int, { description: '1..library capacity.' }) @IsInt() @Min(1) @Max(10_000) number: number;
  @Field(() => String, { nullable: true, description: 'Defaults to the number.' }) @IsOptional() @Length(1, 30) label?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 50) zone?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(10) @Length(1, 30, { each: true }) features?: string[];
}

@InputType()
export class SeatAssignmentInput {
  // Checked per row (a bad id is that row's INVALID, not the whole call's error).
  @Field(() => String) @Length(1, 64) studentId: string;
  @Field(() => Int) seatNumber: number;
}

export const MAX_ASSIGNMENTS = 200;

@InputType()
export class AssignSeatsInput {
  @Field(() => ID) libraryId: string;
  @Field(() => [SeatAssignmentInput]) @ArrayMaxSize(MAX_ASSIGNMENTS) @ValidateNested({ each: true }) assignments: SeatAssignmentInput[];
  @Field(() => String, { description: 'First day, YYYY-MM-DD.' }) @IsDay({ path: 'input.fromDate' }) fromDate: string;
  @Field(() => String, { description: 'Last day (inclusive), at most 31 days after fromDate.' }) @IsDay({ path: 'input.toDate' }) toDate: string;
  @Field(() => ID, { nullable: true, description: "One of the library's active shifts (or give slot)." }) @IsOptional() shiftId?: string;
  @Field(() => TimeSlot, { nullable: true, description: "Old clients: the library's shift standing for this slot; default FULL_DAY when no shiftId." })
  @IsOptional()
  @IsEnum(TimeSlot)
  slot?: TimeSlot;
  // A marker outside the GraphQL type (core/validation/one-of.ts).
  @AtMostOneOf(['shiftId', 'slot'], { path: 'input.slot' }) readonly oneShift = true;
}

/** Arguments of `seatAvailability`. */
@ArgsType()
export class SeatAvailabilityArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => ID, { nullable: true }) shiftId?: string | null;
  @Field(() => TimeSlot, { nullable: true }) slot?: TimeSlot | null;
  @Field(() => String, { description: 'YYYY-MM-DD (the day the shift starts)' }) @IsDay() date: string;
  @Field(() => ID) libraryId: string;
  @AtMostOneOf(['shiftId', 'slot'], { path: 'slot' }) readonly oneShift = true;
}
