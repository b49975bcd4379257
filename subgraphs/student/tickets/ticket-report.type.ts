import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TicketPriority, TicketSlaKind } from './ticket.model';

@ObjectType({ description: "A library's open tickets (OPEN or IN_PROGRESS) by age since they were raised." })
export class TicketAgeRow {
  @Field(() => ID) libraryId: string;
  @Field(() => Int, { description: 'Younger than a day.' }) underOneDay: number;
  @Field(() => Int, { description: '1 to 3 days.' }) oneToThreeDays: number;
  @Field(() => Int, { description: '3 to 7 days.' }) threeToSevenDays: number;
  @Field(() => Int, { description: 'Older than 7 days.' }) overSevenDays: number;
  @Field(() => Int) total: number;
}

@ObjectType()
export class TicketSlaBreach {
  @Field(() => ID) ticketId: string;
  @Field(() => String) number: string;
  @Field(() => ID) libraryId: string;
  @Field(() => TicketSlaKind) kind: TicketSlaKind;
  @Field(() => TicketPriority) priority: TicketPriority;
  @Field(() => Date) dueAt: Date;
  @Field(() => Date) detectedAt: Date;
}

@ObjectType()
export class TicketPriorityCount {
  @Field(() => TicketPriority) priority: TicketPriority;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'SLA breaches detected in a range.' })
export class TicketSlaBreachReport {
  @Field(() => Int) count: number;
  @Field(() => [TicketPriorityCount], { description: 'Every priority, zeros included.' }) byPriority: TicketPriorityCount[];
  @Field(() => [TicketSlaBreach], { description: 'Newest first, up to 200.' }) breaches: TicketSlaBreach[];
}

@ObjectType({ description: "A library's tickets resolved in a range and their mean time from raising to resolution." })
export class TicketResolutionRow {
  @Field(() => ID) libraryId: string;
  @Field(() => Int) resolved: number;
  @Field(() => Int, { description: 'Mean minutes from raising to (last) resolution, rounded.' }) meanMinutes: number;
}
