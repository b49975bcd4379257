import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { AttendanceStatsArgs, StudentAttendanceArgs } from './attendance-stats.input';
import type { StudentContext } from './context';
import { attendanceStats, studentAttendance } from './attendance-stats.service';
import { AttendanceDay, StudentAttendanceDay } from './attendance-stats.type';

@Resolver()
export class AttendanceStatsResolver {
  @Query(() => [AttendanceDay], { description: 'One row per day from..to (inclusive, at most 366 days); all libraries unless libraryId.' })
  attendanceStats(@Args() { from, to, libraryId }: AttendanceStatsArgs, @Ctx() ctx: StudentContext) {
    return attendanceStats(ctx, libraryId ?? undefined, from, to);
  }

  @Query(() => [StudentAttendanceDay], { description: "One student's days from..to (inclusive, at most 366 days)." })
  studentAttendance(@Args() { studentId, from, to }: StudentAttendanceArgs, @Ctx() ctx: StudentContext) {
    return studentAttendance(ctx, studentId, from, to);
  }
}
