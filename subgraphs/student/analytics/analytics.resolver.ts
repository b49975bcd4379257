import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { StudentContext } from '../context';
import { AnalyticsRangeArgs, StudentActivityArgs, StudentRetentionArgs } from './analytics.input';
import { occupancyHeatmap, studentActivity, studentRetention } from './analytics.service';
import { OccupancyHeatmap, RetentionCohort, StudentActivityPoint } from './analytics.type';

@Resolver()
export class StudentAnalyticsResolver {
  @Query(() => OccupancyHeatmap, { description: 'Check-ins and average presence by weekday and hour over from..to (at most 366 days), tenant time zone.' })
  occupancyHeatmap(@Args() args: AnalyticsRangeArgs, @Ctx() ctx: StudentContext) {
    return occupancyHeatmap(ctx, args);
  }

  @Query(() => [StudentActivityPoint], { description: 'Active (checked in) and new (enrolled) students per day, week or month of from..to.' })
  studentActivity(@Args() args: StudentActivityArgs, @Ctx() ctx: StudentContext) {
    return studentActivity(ctx, args);
  }

  @Query(() => [RetentionCohort], { description: 'Monthly cohorts by joining month and how many checked in 1, 2, 3... months later.' })
  studentRetention(@Args() args: StudentRetentionArgs, @Ctx() ctx: StudentContext) {
    return studentRetention(ctx, args);
  }
}
