import { ArrayMaxSize, ArrayMinSize, IsEnum, IsOptional, Length, Matches } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsDay } from '../../core/validation/calendar';
import { NotBlank } from '../../core/validation/not-blank';
import { HHMM } from './shift-hours.service';
import { Weekday } from './shift.type';

@InputType()
export class CreateShiftInput {
  @Field(() => ID) libraryId: string;
  @Field(() => String) @Length(1, 50) @NotBlank({ path: 'input.name' }) name: string;
  @Field(() => String, { description: 'HH:MM, on the hour.' }) @Matches(HHMM, { message: 'must be HH:MM (24 h)' }) startTime: string;
  @Field(() => String, { description: 'HH:MM, on the hour; before startTime for an overnight shift.' })
  @Matches(HHMM, { message: 'must be HH:MM (24 h)' })
  endTime: string;
  @Field(() => [Weekday], { nullable: true, description: 'Default: every day.' })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsEnum(Weekday, { each: true })
  days?: Weekday[];
}

@InputType({ description: 'Times and days can change only while no current or future booking uses the shift.' })
export class UpdateShiftInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 50) @NotBlank({ path: 'input.name' }) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM (24 h)' }) startTime?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM (24 h)' }) endTime?: string;
  @Field(() => [Weekday], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsEnum(Weekday, { each: true })
  days?: Weekday[];
}

/** Arguments of `shiftOccupancy`. */
@ArgsType()
export class ShiftOccupancyArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => String, { description: 'YYYY-MM-DD' }) @IsDay() date: string;
  @Field(() => ID) libraryId: string;
}
