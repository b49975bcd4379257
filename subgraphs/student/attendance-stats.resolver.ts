import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { StudentContext } from './context';
import { attendanceStats, studentAttendance } from './attendance-stats.service';
import { AttendanceDay, StudentAttendanceDay } from './attendance-stats.type';

@Resolver()
export class AttendanceStatsResolver {
  @Query(() => [AttendanceDay], { description: 'One row per day from..to (inclusive, at most 366 days); all libraries unless libraryId.' })
  attendanceStats(
    @Arg('from', () => String, { description: 'YYYY-MM-DD' }) from: string,
    @Arg('to', () => String, { description: 'YYYY-MM-DD' }) to: string,
    @Arg('libraryId', () => ID, { nullable: true }) libraryId: string | undefined,
    @Ctx() ctx: StudentContext,
  ) {
    return attendanceStats(ctx, libraryId ?? undefined, from, to);
  }

  @Query(() => [StudentAttendanceDay], { description: "One student's days from..to (inclusive, at most 366 days)." })
  studentAttendance(
    @Arg('studentId', () => ID) studentId: string,
    @Arg('from', () => String, { description: 'YYYY-MM-DD' }) from: string,
    @Arg('to', () => String, { description: 'YYYY-MM-DD' }) to: string,
    @Ctx() ctx: StudentContext,
  ) {
    return studentAttendance(ctx, studentId, from, to);
  }
}
