import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageSize } from '../../core/pagination';
import type { StudentContext } from './context';
import { PUBLIC_TAG } from '../../core/federation/contract';
import { parseId } from '../../core/ids';
import { checkedInLoader } from './attendance.loader';
import { CreateStudentInput, STUDENT_PAGE, StudentFilter, StudentPageArgs, UpdateStudentInput } from './student.input';
import { studentLoader } from './student.loader';
import { createStudent, deleteStudent, listStudents, updateStudent } from './student.service';
import { Student, StudentConnection } from './student.type';

@Resolver(() => Student)
export class StudentResolver {
  @Directive(PUBLIC_TAG)
  @Query(() => Student, { nullable: true })
  async student(@Arg('id', () => ID) id: string, @Ctx() ctx: StudentContext) {
    parseId(id, 'id');
    return studentLoader(ctx).load(id);
  }

  @Directive(PUBLIC_TAG)
  @Query(() => StudentConnection)
  students(
    @Arg('filter', () => StudentFilter, { nullable: true }) filter: StudentFilter | undefined,
    @Args() { first }: StudentPageArgs,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() ctx: StudentContext,
  ) {
    return listStudents(ctx, filter, pageSize(first, STUDENT_PAGE), after ?? undefined);
  }

  @Mutation(() => Student, { description: 'Enrols a student (plan limit maxStudents).' })
  createStudent(@Arg('input', () => CreateStudentInput) input: CreateStudentInput, @Ctx() ctx: StudentContext) {
    return createStudent(ctx, input);
  }

  @Mutation(() => Student)
  updateStudent(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateStudentInput) input: UpdateStudentInput, @Ctx() ctx: StudentContext) {
    return updateStudent(ctx, id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes the student with their bookings and attendance.' })
  deleteStudent(@Arg('id', () => ID) id: string, @Ctx() ctx: StudentContext) {
    return deleteStudent(ctx, id);
  }

  @FieldResolver(() => Boolean)
  checkedIn(@Root() student: Student, @Ctx() ctx: StudentContext) {
    return checkedInLoader(ctx).load(student.id);
  }
}

/** Batched through the request's loader; malformed or foreign ids resolve to null. */
export const resolveStudentReference = (ref: Record<string, unknown>, ctx: StudentContext) =>
  typeof ref.id === 'string' ? studentLoader(ctx).load(ref.id) : null;
