import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LeadTaskStatus } from './lead-task.model';

registerEnumType(LeadTaskStatus, { name: 'LeadTaskStatus', description: 'OPEN until completed (once).' });

@ObjectType({ description: 'A follow-up task on a lead.' })
export class LeadTask {
  @Field(() => ID) id: string;
  @Field(() => ID) leadId: string;
  @Field(() => String) title: string;
  @Field(() => Date) dueAt: Date;
  @Field(() => ID, { description: 'The platform user who should do it.' }) assigneeId: string;
  @Field(() => ID) createdBy: string;
  @Field(() => LeadTaskStatus) status: LeadTaskStatus;
  @Field(() => Date, { nullable: true }) doneAt?: Date | null;
  @Field(() => ID, { nullable: true }) doneBy?: string | null;
  @Field(() => Date, { nullable: true, description: 'When its one due reminder was mailed to the assignee.' }) remindedAt?: Date | null;
  @Field(() => Date) createdAt: Date;
}
