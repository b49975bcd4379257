import { Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { tryParseId } from '../../core/ids';
import { StudentMessagesArgs } from './message.input';
import { messageCountLoader, studentMessagesLoader } from './message.loader';
import { Message } from './message.type';
import { Student } from './student.type';

@Resolver(() => Student)
export class StudentMessagesResolver {
  @FieldResolver(() => [Message], { description: 'Messages sent to this student, newest first.' })
  messages(@Root() student: Student, @Args(() => StudentMessagesArgs) { first }: StudentMessagesArgs, @Ctx() ctx: RequestContext) {
    return studentMessagesLoader(ctx, first).load(student.id);
  }

  @FieldResolver(() => Int, { description: 'How many messages this student has been sent.' })
  messageCount(@Root() student: Student, @Ctx() ctx: RequestContext) {
    return messageCountLoader(ctx).load(student.id);
  }
}

/**
 * Students live in the student subgraph: messaging only needs the id (its
 * loaders read the caller's tenant database, so a foreign id finds nothing).
 */
export const resolveStudentReference = (ref: Record<string, unknown>) => (tryParseId(ref.id) ? { id: ref.id as string } : null);
