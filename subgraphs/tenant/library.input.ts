import { IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LibraryStatus } from './library.type';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

@InputType()
export class CreateLibraryInput {
  @Field(() => String) @Length(1, 120) name: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 300) address?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000) capacity: number;
  @Field(() => String, { defaultValue: '06:00' }) @Matches(HHMM, { message: 'must be HH:MM' }) openingTime: string;
  @Field(() => String, { defaultValue: '22:00' }) @Matches(HHMM, { message: 'must be HH:MM' }) closingTime: string;
}

@InputType()
export class UpdateLibraryInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 120) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 300) address?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10_000) capacity?: number;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM' }) openingTime?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(HHMM, { message: 'must be HH:MM' }) closingTime?: string;
  @Field(() => LibraryStatus, { nullable: true }) @IsOptional() @IsEnum(LibraryStatus) status?: LibraryStatus;
}

@InputType()
export class LibraryFilter {
  @Field(() => LibraryStatus, { nullable: true }) @IsOptional() @IsEnum(LibraryStatus) status?: LibraryStatus;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) city?: string;
}
