import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ActivityGranularity {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(ActivityGranularity, { name: 'ActivityGranularity', description: 'Periods of studentActivity: days, ISO weeks (Monday first) or months.' });

@ObjectType({ description: 'When the library is busy: check-ins and average presence by weekday and hour.' })
export class OccupancyHeatmap {
  @Field(() => String, { description: 'YYYY-MM-DD' }) from: string;
  @Field(() => String, { description: 'YYYY-MM-DD' }) to: string;
  @Field(() => String, { description: "The tenant's time zone the hours are in." }) timezone: string;
  @Field(() => Int, { description: 'Check-ins in the range.' }) checkIns: number;
  @Field(() => [Int], { description: 'Days of each weekday (Monday first) in the range up to today: the divisors of averagePresent.' })
  weekdayDays: number[];
  // Two matrices rather than 168 objects: a heat map is read whole, and 672 leaf fields cost more to execute than to compute.
  @Field(() => [[Int]], { description: 'Check-ins per weekday (7 rows, Monday first) and hour (24 columns, 00:00 first).' })
  checkInsByHour: number[][];
  @Field(() => [[Float]], {
    description:
      'Students present on average per weekday and hour: minutes of closed visits in that hour / 60 / days of that weekday counted (weekdayDays), 2 decimals.',
  })
  averagePresentByHour: number[][];
}

@ObjectType({ description: 'Students of one period.' })
export class StudentActivityPoint {
  @Field(() => String, { description: 'YYYY-MM-DD (day, or the Monday of the week) or YYYY-MM (month).' }) period: string;
  @Field(() => String, { description: 'First day of the period.' }) start: string;
  @Field(() => String, { description: 'Last day of the period.' }) end: string;
  @Field(() => Int, { description: 'Distinct students who checked in at least once in the period.' }) activeStudents: number;
  @Field(() => Int, { description: 'Students enrolled (joinedAt) in the period.' }) newStudents: number;
}

@ObjectType({ description: 'How many of a cohort came back k months after the month they joined.' })
export class RetentionPoint {
  @Field(() => Int, { description: 'k: 1 = the month after joining.' }) monthsLater: number;
  @Field(() => Int, { description: 'Cohort students with at least one check-in during that month.' }) active: number;
  @Field(() => Float, { description: 'active / joined (0..1, 4 decimals; 0 for an empty cohort).' }) rate: number;
  @Field(() => Boolean, { description: 'False while that month is still running (the figure can still grow).' }) complete: boolean;
}

@ObjectType({ description: 'The students who joined in one month and how many stayed active.' })
export class RetentionCohort {
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Int, { description: 'Students enrolled that month.' }) joined: number;
  @Field(() => [RetentionPoint], { description: 'k = 1..months, only months that have begun.' }) retained: RetentionPoint[];
}
