import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel';

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
  @Field(() => TemplateStatus) status: TemplateStatus;
  @Field(() => Date) createdAt: Date;
}
