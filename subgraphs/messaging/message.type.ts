import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from './channel';
import { Student } from './student.type';

export enum MessageStatus {
  SENT = 'sent',
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
  @Field(() => Date) createdAt: Date;
}
