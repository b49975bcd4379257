import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { TicketCategory, TicketPriority, TicketSlaKind, TicketStatus } from './ticket.model';

registerEnumType(TicketCategory, { name: 'TicketCategory', description: 'What a complaint is about.' });
registerEnumType(TicketPriority, { name: 'TicketPriority', description: 'Sets the SLA targets (ticketSlaSettings).' });
registerEnumType(TicketStatus, { name: 'TicketStatus', description: 'OPEN → IN_PROGRESS → RESOLVED → CLOSED; RESOLVED or CLOSED → OPEN reopens.' });
registerEnumType(TicketSlaKind, { name: 'TicketSlaKind', description: 'The two SLA clocks: first response and resolution.' });

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'A comment on a ticket. Internal notes are never shown to the student app (partner keys).' })
export class TicketComment {
  @Field(() => ID) id: string;
  @Field(() => String) body: string;
  @Field(() => Boolean, { description: 'Staff-only note.' }) internal: boolean;
  @Field(() => String, { description: 'STAFF or STUDENT_APP.' }) authorKind: string;
  @Field(() => ID, { nullable: true, description: 'The staff user who wrote it (null for the student app).' }) authorId: string | null;
  @Field(() => [ID], { description: 'File ids (object storage).' }) attachments: string[];
  @Field(() => Date) createdAt: Date;
}

@Directive(PUBLIC_TAG)
@ObjectType({ description: 'A complaint raised at the desk or from the student app, worked by staff under SLA targets.' })
export class Ticket {
  @Field(() => ID) id: string;
  @Field(() => String, { description: 'Human-friendly number, unique in the tenant, e.g. TKT-000123.' }) number: string;
  @Field(() => ID) libraryId: string;
  @Field(() => ID, { nullable: true, description: 'The student it is for (null: raised for the library).' }) studentId: string | null;
  @Field(() => String) title: string;
  @Field(() => String) description: string;
  @Field(() => TicketCategory) category: TicketCategory;
  @Field(() => TicketPriority) priority: TicketPriority;
  @Field(() => TicketStatus) status: TicketStatus;
  @Field(() => ID, { nullable: true, description: 'The staff user working it.' }) assignedTo: string | null;
  @Field(() => String, { nullable: true }) resolution: string | null;
  @Field(() => Date, { nullable: true }) resolvedAt: Date | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
  @Field(() => Int, { description: 'Times it was reopened.' }) reopenCount: number;
  @Field(() => Date, { nullable: true, description: 'First public comment or status move by staff.' }) firstResponseAt: Date | null;
  @Field(() => Date) firstResponseDueAt: Date;
  @Field(() => Date) resolutionDueAt: Date;
  @Field(() => [TicketSlaKind], { description: 'SLA clocks found breached.' }) breaches: TicketSlaKind[];
  @Field(() => [ID], { description: 'File ids (object storage).' }) attachments: string[];
  @Field(() => String, { description: 'STAFF or STUDENT_APP.' }) raisedBy: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType({ description: "One priority's SLA targets, in minutes of wall-clock time." })
export class TicketSlaTarget {
  @Field(() => TicketPriority) priority: TicketPriority;
  @Field(() => Int) firstResponseMinutes: number;
  @Field(() => Int) resolutionMinutes: number;
}

@ObjectType({ description: "The tenant's SLA targets (defaults until changed). New tickets take them; open tickets keep the due dates they got." })
export class TicketSlaSettings {
  @Field(() => [TicketSlaTarget]) targets: TicketSlaTarget[];
}

@ObjectType()
export class TicketSlaCheck {
  @Field(() => Int, { description: 'Breaches recorded by this run (each is recorded once, whoever finds it first).' }) recorded: number;
}
