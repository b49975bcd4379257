import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { ownedReference } from '../../../core/federation/owned-reference';
import { StudentPaymentsArgs } from './payment.input';
import { studentPaymentsLoader } from './payment.loader';
import { Payment } from './payment.type';
import { Student } from './student.type';

@Resolver(() => Student)
export class StudentPaymentsResolver {
  // Nullable on purpose: a role without payments:read gets FORBIDDEN here while
  // the rest of the student (from the student subgraph) still arrives.
  @FieldResolver(() => [Payment], { nullable: true, description: "The student's payments, newest first." })
  payments(@Root() student: Student, @Args(() => StudentPaymentsArgs) { last }: StudentPaymentsArgs, @Ctx() ctx: BillingContext) {
    return studentPaymentsLoader(ctx, last ?? 10).load(student.id);
  }
}

/**
 * Billing keeps no students: the student subgraph is asked (one batched `_entities`
 * call) whether the id is a student of the caller's tenant; otherwise null.
 */
export const resolveStudentReference = (ref: Record<string, unknown>, ctx: BillingContext) => ownedReference(ref, ctx, 'student', 'Student');
