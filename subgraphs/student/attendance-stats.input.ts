import { IsOptional } from 'class-validator';
import { ArgsType, Field, ID } from 'type-graphql';
import { IsDay } from '../../core/validation/calendar';

/** Arguments of `attendanceStats`. */
@ArgsType()
export class AttendanceStatsArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => ID, { nullable: true }) @IsOptional() libraryId?: string | null;
  @Field(() => String, { description: 'YYYY-MM-DD' }) @IsDay() to: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) @IsDay() from: string;
}

/** Arguments of `studentAttendance`. */
@ArgsType()
export class StudentAttendanceArgs {
  // Last argument first: the order the @Arg parameters printed in (schema/ stays as it was).
  @Field(() => String, { description: 'YYYY-MM-DD' }) @IsDay() to: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) @IsDay() from: string;
  @Field(() => ID) studentId: string;
}
