import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel.type';

export enum BulkSendStatus {
  RUNNING = 'running',
  DONE = 'done',
}
registerEnumType(BulkSendStatus, { name: 'BulkSendStatus' });

export enum BulkRecipientStatus {
  PENDING = 'pending',
  SENT = 'sent',
  FAILED = 'failed',
  INSUFFICIENT_BALANCE = 'insufficient_balance',
}
registerEnumType(BulkRecipientStatus, { name: 'BulkRecipientStatus' });

@ObjectType({ description: 'One student of a bulk send and what happened to their message.' })
export class BulkSendRecipient {
  @Field(() => ID) studentId: string;
  @Field(() => BulkRecipientStatus) status: BulkRecipientStatus;
  @Field(() => String, { nullable: true }) error?: string | null;
  @Field(() => ID, { nullable: true, description: 'The message sent, when SENT.' }) messageId?: string | null;
}

@ObjectType({ description: 'A templated message sent to every matching student, one credit each, in the background.' })
export class BulkSend {
  @Field(() => ID) id: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => ID) templateId: string;
  @Field(() => BulkSendStatus) status: BulkSendStatus;
  @Field(() => Int, { description: 'Matching students (known once listing is done).' }) total: number;
  @Field(() => Int, { description: 'Messages sent, equal to the credits used.' }) sent: number;
  @Field(() => Int) failed: number;
  @Field(() => Int) insufficientCredit: number;
  @Field(() => String, { nullable: true, description: 'Why the whole job stopped, if it did.' }) error?: string | null;
  @Field(() => Date) createdAt: Date;
}
