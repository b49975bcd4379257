import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Max, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
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
  @Field(() => String, { description: 'First day, YYYY-MM-DD.' }) fromDate: string;
  @Field(() => String, { description: 'Last day (inclusive), at most 31 days after fromDate.' }) toDate: string;
  @Field(() => ID, { nullable: true, description: "One of the library's active shifts (or give slot)." }) @IsOptional() shiftId?: string;
  @Field(() => TimeSlot, { nullable: true, description: "Old clients: the library's shift standing for this slot; default FULL_DAY when no shiftId." })
  @IsOptional()
  @IsEnum(TimeSlot)
  slot?: TimeSlot;
}
