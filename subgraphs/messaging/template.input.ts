import { IsEnum, IsOptional, Length } from 'class-validator';
import { ArgsType, Field, InputType } from 'type-graphql';
import { Channel } from './channel';

@InputType()
export class CreateTemplateInput {
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => String, { description: 'Text with {#name#} placeholders.' }) @Length(1, 1000) body: string;
}

@ArgsType()
export class TemplatesArgs {
  @Field(() => Channel, { nullable: true }) @IsOptional() @IsEnum(Channel) channel?: Channel;
}
