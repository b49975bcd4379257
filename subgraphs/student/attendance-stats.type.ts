import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Attendance of one day (tenant time zone); days without visits are zero rows.' })
export class AttendanceDay {
  @Field(() => String, { description: 'YYYY-MM-DD' }) day: string;
  @Field(() => Int, { description: 'Visits started that day.' }) checkIns: number;
  @Field(() => Int, { description: 'Distinct students who checked in that day.' }) uniqueStudents: number;
  @Field(() => Int, { description: 'Minutes of the visits started that day and already checked out.' }) totalMinutes: number;
}

@ObjectType({ description: "One student's attendance of one day." })
export class StudentAttendanceDay {
  @Field(() => String, { description: 'YYYY-MM-DD' }) day: string;
  @Field(() => Int) checkIns: number;
  @Field(() => Int) totalMinutes: number;
}
