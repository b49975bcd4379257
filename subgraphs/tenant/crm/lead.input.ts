import { IsEmail, IsEnum, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PAGE_MAX, PageArgs, PageSize } from '../../../core/pagination';
import { LeadSource, LeadStage } from './lead.model';

const PHONE = /^\+?[0-9]{10,15}$/;
const PHONE_MSG = { message: 'must be 10-15 digits, optionally starting with +' };

@InputType()
export class CreateLeadInput {
  @Field(() => LeadSource) @IsEnum(LeadSource) source: LeadSource;
  @Field(() => String) @Length(1, 120) contactName: string;
  @Field(() => String) @Matches(PHONE, PHONE_MSG) phone: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) email?: string | null;
  @Field(() => String) @Length(1, 80) city: string;
  @Field(() => String) @Length(1, 160) businessName: string;
  @Field(() => Int, { defaultValue: 1, description: '1..1000' }) @IsInt() @Min(1) @Max(1000) libraries: number;
  @Field(() => Int, { defaultValue: 0, description: '0..100000' }) @IsInt() @Min(0) @Max(100_000) expectedSeats: number;
  @Field(() => ID, { nullable: true, description: 'A platform user; the caller when omitted.' }) @IsOptional() @MaxLength(24) ownerId?: string | null;
  @Field(() => String, { nullable: true, description: 'A first note.' }) @IsOptional() @Length(1, 2000) note?: string | null;
}

@InputType({ description: 'Only the fields given change (stage and owner have their own mutations).' })
export class UpdateLeadInput {
  @Field(() => ID) id: string;
  @Field(() => LeadSource, { nullable: true }) @IsOptional() @IsEnum(LeadSource) source?: LeadSource | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 120) contactName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(PHONE, PHONE_MSG) phone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail() @MaxLength(200) email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 80) city?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 160) businessName?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1000) libraries?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000) expectedSeats?: number | null;
}

@InputType()
export class MoveLeadStageInput {
  @Field(() => ID) id: string;
  @Field(() => LeadStage) @IsEnum(LeadStage) stage: LeadStage;
  @Field(() => LeadStage, { nullable: true, description: 'The stage the caller saw: if the lead has moved since, the move is CONFLICT.' })
  @IsOptional()
  @IsEnum(LeadStage)
  from?: LeadStage | null;
  @Field(() => String, { nullable: true, description: 'Required when moving to LOST.' }) @IsOptional() @Length(1, 500) lostReason?: string | null;
}

@InputType()
export class LeadFilter {
  @Field(() => LeadStage, { nullable: true }) @IsOptional() @IsEnum(LeadStage) stage?: LeadStage | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @MaxLength(24) ownerId?: string | null;
  @Field(() => LeadSource, { nullable: true }) @IsOptional() @IsEnum(LeadSource) source?: LeadSource | null;
  @Field(() => String, { nullable: true, description: 'Exact city, any case.' }) @IsOptional() @MaxLength(80) city?: string | null;
}

@ArgsType()
export class LeadPageArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'The `cursor` of the last lead of the previous page.' })
  @IsOptional()
  @MaxLength(100)
  after?: string | null;
}

export const LEAD_BOARD_DEFAULT = 10;

@ArgsType()
export class LeadBoardArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: LEAD_BOARD_DEFAULT, description: `Leads per column, 1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}

@ArgsType()
export class AddLeadNoteArgs {
  @Field(() => ID) id: string;
  @Field(() => String) @Length(1, 2000) text: string;
}
