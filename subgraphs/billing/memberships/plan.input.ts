import { IsBoolean, IsEnum, IsInt, IsOptional, Length, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { OnlyAndAlwaysWhen } from '../../../core/validation/conditional';
import { NotBlank } from '../../../core/validation/not-blank';
import { AtLeastOneOf } from '../../../core/validation/one-of';
import { FeeDuration } from './period.service';
import { SeatKind } from './plan.model';

const MAX_PAISE = 100_000_000;

@InputType()
export class CreateFeePlanInput {
  @Field(() => ID) libraryId: string;
  @Field(() => String) @Length(1, 80) @NotBlank({ path: 'input.name' }) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) description?: string | null;
  @Field(() => ID, { nullable: true, description: 'A shift of the same library, active.' }) @IsOptional() shiftId?: string | null;
  @Field(() => FeeDuration) @IsEnum(FeeDuration) duration: FeeDuration;
  @Field(() => Int, { nullable: true, description: 'Required for DAYS (1..366), not allowed otherwise.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  durationDays?: number | null;
  @Field(() => Int, { description: 'Paise per period (0..10,00,000 rupees).' }) @IsInt() @Min(0) @Max(MAX_PAISE) price: number;
  @Field(() => SeatKind) @IsEnum(SeatKind) seatKind: SeatKind;
  @Field(() => Int, { defaultValue: 0, description: 'Paise.' }) @IsInt() @Min(0) @Max(MAX_PAISE) securityDeposit: number;
  @Field(() => Boolean, { defaultValue: true }) @IsBoolean() gstApplicable: boolean;
  @Field(() => Int, { nullable: true, description: 'Paise; null or 0: no late fee.' }) @IsOptional() @IsInt() @Min(0) @Max(MAX_PAISE) lateFee?: number | null;
  @Field(() => Int, { defaultValue: 0, description: 'Days after the due date before the late fee (0..90).' }) @IsInt() @Min(0) @Max(90) graceDays: number;
  // A marker outside the GraphQL type: runs when durationDays is absent too (core/validation/conditional.ts).
  @OnlyAndAlwaysWhen('durationDays', 'duration', FeeDuration.DAYS, { path: 'input.durationDays' }) readonly durationDaysRule = true;
}

@InputType({ description: 'Only the words can change: a new price, duration or deposit is a new plan.' })
export class UpdateFeePlanInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 80) @NotBlank({ path: 'input.name' }) name?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) description?: string | null;
  // A null description clears it (a change); a null name changes nothing.
  @AtLeastOneOf(['name', 'description'], { path: 'input', message: 'give name or description', nullClears: ['description'] }) readonly changes = true;
}

@ArgsType()
export class FeePlansArgs {
  @Field(() => ID) libraryId: string;
  @Field(() => Boolean, { defaultValue: false }) @IsBoolean() includeRetired: boolean;
}
