import { ArrayMaxSize, IsEnum, IsOptional, Length, Matches, ValidateNested } from 'class-validator';
import { PAGE_MAX, PageArgs, PageSize } from '../../core/pagination';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ExactlyOneOf } from '../../core/validation/one-of';
import { Channel } from './channel.type';

@InputType()
export class TemplateVariableInput {
  @Field(() => String) @Length(1, 40) name: string;
  @Field(() => String) @Length(1, 200) value: string;
}

@InputType({ description: 'Give exactly one of templateId (with its variables) or body.' })
export class SendMessageInput {
  @Field(() => ID) studentId: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => ID, { nullable: true }) templateId?: string | null;
  @Field(() => [TemplateVariableInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  variables?: TemplateVariableInput[] | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 1000)
  @Matches(/\S/, { message: 'must not be blank' })
  body?: string | null;
  // A marker outside the GraphQL type: runs when every field is absent too (core/validation/one-of.ts).
  @ExactlyOneOf(['templateId', 'body'], { path: 'input.templateId' }) readonly content = true;
}

/** `messages`: the page-size rule with its default 50 (PAGE_DEFAULT). */
@ArgsType()
export class MessagesArgs extends PageArgs {
  @Field(() => ID, { nullable: true }) studentId?: string | null;
}

/** Newest messages shown on a student. */
export const STUDENT_MESSAGES_PAGE = 20;

@ArgsType()
export class StudentMessagesArgs extends PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: STUDENT_MESSAGES_PAGE, description: `1..${PAGE_MAX}` })
  @PageSize()
  declare first?: number | null;
}
