import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';
import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { Channel } from './channel.type';
import { TemplateVariableInput } from './message.input';
import { StudentStatus } from './student-status.type';

@InputType({ description: 'Which students receive a bulk send; empty means all.' })
export class BulkRecipientFilter {
  @Field(() => ID, { nullable: true }) @IsOptional() libraryId?: string | null;
  @Field(() => StudentStatus, { nullable: true }) @IsOptional() @IsEnum(StudentStatus) status?: StudentStatus | null;
  @Field(() => Int, {
    nullable: true,
    description:
      "Only students with dues pending: owing money overdue by more than this many days (billing's dues ledger, pendingDues; needs fees:read). 1..3650.",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  duesOlderThanDays?: number | null;
}

@InputType()
export class SendBulkMessageInput {
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => ID) templateId: string;
  @Field(() => [TemplateVariableInput], { defaultValue: [] })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  variables: TemplateVariableInput[];
  @Field(() => BulkRecipientFilter, { nullable: true }) @IsOptional() @ValidateNested() filter?: BulkRecipientFilter | null;
  @Field(() => String, { description: 'Retrying with the same key returns the same job instead of sending twice.' })
  @Length(8, 100)
  @Matches(/^[A-Za-z0-9_.:-]+$/, { message: 'idempotencyKey may hold letters, digits and _ . : -' })
  idempotencyKey: string;
}

/** Recipients of a bulk send shown per page (was 1..500 before the one page-size rule: now 1..PAGE_MAX). */
export const BULK_RECIPIENTS_PAGE = 100;

@ArgsType()
export class BulkRecipientsArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: BULK_RECIPIENTS_PAGE, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}
