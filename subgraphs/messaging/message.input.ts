import { ArrayMaxSize, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
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
  @IsOptional() @ArrayMaxSize(20) @ValidateNested({ each: true })
  variables?: TemplateVariableInput[] | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 1000) @Matches(/\S/, { message: 'must not be blank' })
  body?: string | null;
}

@ArgsType()
export class MessagesArgs {
  @Field(() => ID, { nullable: true }) studentId?: string | null;
  @Field(() => Int, { defaultValue: 50 }) @IsInt() @Min(1) @Max(100) first: number;
}

@ArgsType()
export class StudentMessagesArgs {
  @Field(() => Int, { defaultValue: 20 }) @IsInt() @Min(1) @Max(100) first: number;
}
