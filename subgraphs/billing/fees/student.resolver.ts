import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { tryParseId } from '../../../core/ids';
import { StudentPaymentsArgs } from './payment.input';
import { studentPaymentsLoader } from './payment.loader';
import { Payment } from './payment.type';
import { Student } from './student.type';

@Resolver(() => Student)
export class StudentPaymentsResolver {
  // Nullable on purpose: a role without payments:read gets FORBIDDEN here while
  // the rest of the student (from the student subgraph) still arrives.
  @FieldResolver(() => [Payment], { nullable: true, description: 'The student\'s payments, newest first.' })
  payments(@Root() student: Student, @Args(() => StudentPaymentsArgs) { last }: StudentPaymentsArgs, @Ctx() ctx: RequestContext) {
    return studentPaymentsLoader(ctx, last ?? 10).load(student.id);
  }
}

/**
 * Billing keeps no students: a well-formed id resolves to a stub whose payments
 * are read from the caller's own tenant database (another tenant's id finds none).
 */
export const resolveStudentReference = (ref: Record<string, unknown>) =>
  tryParseId(ref.id) ? { id: ref.id as string } : null;
