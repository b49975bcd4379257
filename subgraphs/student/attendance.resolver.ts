import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { StudentContext } from './context';
import { PUBLIC_TAG } from '../../core/federation/contract';
import { notFound } from '../../core/errors';
import { checkIn, checkOut, listAttendance } from './attendance.service';
import { Attendance } from './attendance.type';
import { studentLoader } from './student.loader';
import { Student } from './student.type';

@Resolver(() => Attendance)
export class AttendanceResolver {
  @Query(() => [Attendance], { description: 'Visits, latest check-in first.' })
  attendance(
    @Arg('studentId', () => ID, { nullable: true }) studentId: string | undefined,
    @Arg('libraryId', () => ID, { nullable: true }) libraryId: string | undefined,
    @Args() { first }: PageArgs,
    @Ctx() ctx: StudentContext,
  ) {
    return listAttendance(ctx, { studentId: studentId ?? undefined, libraryId: libraryId ?? undefined, first: pageSize(first) });
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => Attendance, { description: 'Opens a visit for an ACTIVE student; CONFLICT if already checked in.' })
  checkIn(@Arg('studentId', () => ID) studentId: string, @Ctx() ctx: StudentContext) {
    return checkIn(ctx, studentId);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => Attendance, { description: 'Closes the open visit; CONFLICT if not checked in.' })
  checkOut(@Arg('studentId', () => ID) studentId: string, @Ctx() ctx: StudentContext) {
    return checkOut(ctx, studentId);
  }

  @FieldResolver(() => Student)
  async student(@Root() attendance: { studentId: string }, @Ctx() ctx: StudentContext) {
    const student = await studentLoader(ctx).load(attendance.studentId);
    if (!student) throw notFound('Student');
    return student;
  }
}
