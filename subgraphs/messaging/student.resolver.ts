import { pageSize } from '../../core/pagination';
import type { MessagingContext } from './context';
import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ownedReference } from '../../core/federation/owned-reference';
import { StudentMessagesArgs, STUDENT_MESSAGES_PAGE } from './message.input';
import { messageCountLoader, studentMessagesLoader } from './message.loader';
import { Message } from './message.type';
import { Student } from './student.type';

@Resolver(() => Student)
export class StudentMessagesResolver {
  @FieldResolver(() => [Message], { description: 'Messages sent to this student, newest first.' })
  messages(@Root() student: Student, @Args(() => StudentMessagesArgs) { first }: StudentMessagesArgs, @Ctx() ctx: MessagingContext) {
    return studentMessagesLoader(ctx, pageSize(first, STUDENT_MESSAGES_PAGE)).load(student.id);
  }

  @FieldResolver(() => Int, { description: 'How many messages this student has been sent.' })
  messageCount(@Root() student: Student, @Ctx() ctx: MessagingContext) {
    return messageCountLoader(ctx).load(student.id);
  }
}

/**
 * Students live in the student subgraph: it is asked (one batched `_entities` call)
 * whether the id is a student of the caller's tenant, so a foreign or unknown id
 * answers null rather than a made-up student with no messages.
 */
export const resolveStudentReference = (ref: Record<string, unknown>, ctx: MessagingContext) => ownedReference(ref, ctx, 'student', 'Student');
