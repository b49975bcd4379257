import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel.type';
import { Student } from './student.type';

export enum MessageStatus {
  SENT = 'sent',
  DELIVERED = 'delivered',
  READ = 'read',
  FAILED = 'failed',
}
registerEnumType(MessageStatus, { name: 'MessageStatus' });

@ObjectType({ description: 'A message sent to a student, paid with prepaid credits.' })
export class Message {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Channel) channel: Channel;
  @Field(() => String) body: string;
  @Field(() => MessageStatus) status: MessageStatus;
  @Field(() => Int) creditsUsed: number;
  @Field(() => String, { nullable: true, description: "The delivery provider's id of the message (delivery reports refer to it)." })
  providerMessageId?: string | null;
  @Field(() => String, { nullable: true, description: 'Why a FAILED message was not sent, e.g. INSUFFICIENT_BALANCE (no credit was used).' })
  failureReason?: string | null;
  @Field(() => Date) createdAt: Date;
}
