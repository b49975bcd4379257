import { IsEnum, IsOptional, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { Channel } from './channel.type';

@InputType({ description: 'DLT registration of an SMS template (India TRAI rules).' })
export class DltInput {
  @Field(() => String) @Matches(/^\d{12,25}$/, { message: 'entityId must be the numeric DLT principal entity id' }) entityId: string;
  @Field(() => String) @Matches(/^\d{12,25}$/, { message: 'templateId must be the numeric DLT content template id' }) templateId: string;
  @Field(() => String, { description: 'Six-letter sender id (header).' })
  @Matches(/^[A-Z]{6}$/, { message: 'senderId must be 6 capital letters' })
  senderId: string;
}

@InputType()
export class CreateTemplateInput {
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => String, { description: 'Text with {#name#} placeholders.' }) @Length(1, 1000) body: string;
  @Field(() => DltInput, { nullable: true, description: 'Required for SMS on a DLT route.' })
  @IsOptional()
  @ValidateNested()
  dlt?: DltInput | null;
  @Field(() => String, { nullable: true, description: 'WhatsApp only: the template name approved by Meta.' })
  @IsOptional()
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'whatsappName must be lower-case letters, digits and _' })
  whatsappName?: string | null;
  @Field(() => String, { nullable: true, description: 'WhatsApp only: language code, default en.' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(_[A-Z]{2})?$/, { message: 'language must be like en or en_US' })
  language?: string | null;
}

@ArgsType()
export class TemplatesArgs {
  @Field(() => Channel, { nullable: true }) @IsOptional() @IsEnum(Channel) channel?: Channel;
}

@ArgsType()
export class RejectTemplateArgs {
  @Field(() => ID) id: string;
  @Field(() => String)
  @Matches(/\S/, { message: 'give a reason of 1 to 500 characters' })
  @MaxLength(500, { message: 'give a reason of 1 to 500 characters' })
  reason: string;
}
