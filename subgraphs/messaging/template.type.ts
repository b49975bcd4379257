import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel.type';

export enum TemplateStatus {
  PENDING = 'pending',
  APPROVED = 'approved',
  REJECTED = 'rejected',
}
registerEnumType(TemplateStatus, { name: 'TemplateStatus' });

@ObjectType({ description: 'A reusable message text with {#name#} placeholders (DLT style).' })
export class Template {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => String) body: string;
  @Field(() => [String], { description: 'Placeholder names, in order of first appearance.' }) variables: string[];
  @Field(() => TemplateStatus, { description: 'SMS templates on a DLT route start PENDING until approved.' }) status: TemplateStatus;
  @Field(() => String, { nullable: true, description: 'DLT principal entity id (SMS).' }) dltEntityId?: string | null;
  @Field(() => String, { nullable: true, description: 'DLT content template id (SMS).' }) dltTemplateId?: string | null;
  @Field(() => String, { nullable: true, description: 'DLT sender id / header (SMS), e.g. STDSPT.' }) senderId?: string | null;
  @Field(() => String, { nullable: true, description: 'Name of the approved WhatsApp template at Meta.' }) whatsappName?: string | null;
  @Field(() => String, { nullable: true, description: 'Language code of the WhatsApp template.' }) language?: string | null;
  @Field(() => String, { nullable: true }) rejectionReason?: string | null;
  @Field(() => Date) createdAt: Date;
}
