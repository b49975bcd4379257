import { ArrayMaxSize, IsEnum, IsIn, IsInt, IsNumber, IsOptional, IsPositive, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, Float, InputType, Int } from 'type-graphql';
import { PageSize } from '../../core/pagination';
import { AllOrNone } from '../../core/validation/one-of';
import { LibraryStatus } from './library.type';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Statuses updateLibrary may set; approval, rejection and suspension have their own mutations. */
export const OPERATIONAL_STATUSES = [LibraryStatus.ACTIVE, LibraryStatus.INACTIVE, LibraryStatus.UNDER_MAINTENANCE];

@InputType()
export class CreateLibraryInput {
  @Field(() => String) @Length(1, 120) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 300) address?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000) capacity: number;
  @Field(() => String, { defaultValue: '06:00' }) @Matches(HHMM, { message: 'must be HH:MM' }) openingTime: string;
  @Field(() => String, { defaultValue: '22:00' }) @Matches(HHMM, { message: 'must be HH:MM' }) closingTime: string;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-90) @Max(90) latitude?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-180) @Max(180) longitude?: number;
  // A marker outside the GraphQL type (core/validation/one-of.ts).
  @AllOrNone(['latitude', 'longitude'], { path: 'input.latitude' }) readonly location = true;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(30) @Length(1, 50, { each: true }) amenities?: string[];
}

@InputType()
export class UpdateLibraryInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 120) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 300) address?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10_000) capacity?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM' }) openingTime?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM' }) closingTime?: string;
  @Field(() => LibraryStatus, { nullable: true, description: 'ACTIVE, INACTIVE or UNDER_MAINTENANCE, for an approved, unsuspended library.' })
  @IsOptional()
  @IsIn(OPERATIONAL_STATUSES, { message: 'status: use approveLibrary, rejectLibrary, suspendLibrary or reactivateLibrary' })
  status?: LibraryStatus;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-90) @Max(90) latitude?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-180) @Max(180) longitude?: number;
  // A marker outside the GraphQL type (core/validation/one-of.ts).
  @AllOrNone(['latitude', 'longitude'], { path: 'input.latitude' }) readonly location = true;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(30) @Length(1, 50, { each: true }) amenities?: string[];
}

@InputType()
export class LibraryFilter {
  @Field(() => LibraryStatus, { nullable: true }) @IsOptional() @IsEnum(LibraryStatus) status?: LibraryStatus;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
}

/** A point and a radius (librariesNear); checked here so the service only searches. */
@ArgsType()
export class LibrariesNearArgs {
  @Field(() => Float) @Min(-90) @Max(90) lat: number;
  @Field(() => Float) @Min(-180) @Max(180) lng: number;
  @Field(() => Float) @IsPositive() @Max(500) radiusKm: number;
  @Field(() => Int, { defaultValue: 50 }) @PageSize() first: number;
}

const REASON = { message: 'must be 1 to 500 characters' };

/** Why a library is rejected or suspended (shown to its managers). */
@ArgsType()
export class LibraryReasonArgs {
  @Field(() => String) @Length(1, 500, REASON) @Matches(/\S/, REASON) reason: string;
}
