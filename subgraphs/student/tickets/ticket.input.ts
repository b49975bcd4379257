import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PageSize } from '../../../core/pagination';
import { AtLeastOneOf } from '../../../core/validation/one-of';
import { OnlyAndAlwaysWhen } from '../../../core/validation/conditional';
import { NotBlank } from '../../../core/validation/not-blank';
import { NotBefore } from '../../../core/validation/order';
import { TicketCategory, TicketPriority, TicketStatus } from './ticket.model';

const MAX_ATTACHMENTS = 10;

@InputType()
export class RaiseTicketInput {
  @Field(() => ID, { nullable: true, description: "The student it is for; the ticket then belongs to the student's library." })
  @IsOptional()
  studentId?: string;
  @Field(() => ID, { nullable: true, description: 'The library (required without studentId; must match the student’s).' })
  @IsOptional()
  libraryId?: string;
  @AtLeastOneOf(['studentId', 'libraryId'], { path: 'input.libraryId' }) readonly about = true;
  @Field(() => String) @Length(1, 200) @NotBlank() title: string;
  @Field(() => String) @Length(1, 5000) @NotBlank() description: string;
  @Field(() => TicketCategory) @IsEnum(TicketCategory) category: TicketCategory;
  @Field(() => TicketPriority, { defaultValue: TicketPriority.MEDIUM }) @IsEnum(TicketPriority) priority: TicketPriority;
  @Field(() => [ID], { nullable: true, description: `File ids from object storage (up to ${MAX_ATTACHMENTS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @MaxLength(64, { each: true })
  attachments?: string[];
}

@InputType()
export class MoveTicketInput {
  @Field(() => ID) id: string;
  @Field(() => TicketStatus) @IsEnum(TicketStatus) status: TicketStatus;
  @Field(() => TicketStatus, { nullable: true, description: 'The status the caller saw: if the ticket has moved since, the move is CONFLICT.' })
  @IsOptional()
  @IsEnum(TicketStatus)
  from?: TicketStatus | null;
  @Field(() => String, { nullable: true, description: 'How it was resolved: required for RESOLVED, refused for the other statuses.' })
  @IsOptional()
  @Length(1, 5000)
  @NotBlank()
  resolution?: string;
  @OnlyAndAlwaysWhen('resolution', 'status', TicketStatus.RESOLVED, { path: 'input.resolution' }) readonly resolutionRule = true;
}

@InputType()
export class TicketCommentInput {
  @Field(() => ID) ticketId: string;
  @Field(() => String) @Length(1, 5000) @NotBlank() body: string;
  @Field(() => Boolean, { defaultValue: false, description: 'Staff-only note (the student app cannot write or read them).' }) internal: boolean;
  @Field(() => [ID], { nullable: true }) @IsOptional() @ArrayMaxSize(MAX_ATTACHMENTS) @MaxLength(64, { each: true }) attachments?: string[];
}

@InputType()
export class TicketFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() libraryId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() studentId?: string;
  @Field(() => TicketStatus, { nullable: true }) @IsOptional() @IsEnum(TicketStatus) status?: TicketStatus;
  @Field(() => TicketPriority, { nullable: true }) @IsOptional() @IsEnum(TicketPriority) priority?: TicketPriority;
  @Field(() => ID, { nullable: true, description: 'Staff user id.' }) @IsOptional() assignedTo?: string;
}

@ArgsType()
export class TicketListArgs {
  @Field(() => TicketFilter, { nullable: true }) @IsOptional() @ValidateNested() filter?: TicketFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50, description: '1..200, newest first.' }) @PageSize() first?: number | null;
}

/** Minutes in a year: a target beyond it is a typo. */
const YEAR_MINUTES = 525_600;

@InputType()
export class TicketSlaTargetInput {
  @Field(() => TicketPriority) @IsEnum(TicketPriority) priority: TicketPriority;
  @Field(() => Int) @IsInt() @Min(1) @Max(YEAR_MINUTES) firstResponseMinutes: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(YEAR_MINUTES) @NotBefore('firstResponseMinutes') resolutionMinutes: number;
}

@ArgsType()
export class TicketReportArgs {
  @Field(() => ID, { nullable: true, description: "One library (else every library in the caller's scope)." }) @IsOptional() libraryId?: string;
}

@ArgsType()
export class TicketRangeArgs extends TicketReportArgs {
  @Field(() => Date, { description: 'Start of the range (inclusive).' }) from: Date;
  @Field(() => Date, { description: 'End of the range (exclusive).' }) @NotBefore('from') to: Date;
}
