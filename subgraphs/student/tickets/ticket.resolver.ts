import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { PUBLIC_TAG } from '../../../core/federation/contract';
import { servedByGateway } from '../../../core/federation/gateway-subscription';
import { PageArgs, pageSize } from '../../../core/pagination';
import type { StudentContext } from '../context';
import { MoveTicketInput, RaiseTicketInput, TicketCommentInput, TicketListArgs, TicketSlaTargetInput } from './ticket.input';
import { assignTicket, getTicket, listTickets, moveTicket, raiseTicket, studentTickets, type TicketView } from './ticket.service';
import { Ticket, TicketComment, TicketSlaCheck, TicketSlaSettings } from './ticket.type';
import { addTicketComment, ticketComments } from './ticket-comment.service';
import { runTicketSlaCheck, setTicketSlaTargets, ticketSlaSettings } from './ticket-sla.service';

@Resolver(() => Ticket)
export class TicketResolver {
  @Query(() => [Ticket], { description: "Tickets of the caller's libraries, newest first." })
  tickets(@Args() { filter, first }: TicketListArgs, @Ctx() ctx: StudentContext) {
    return listTickets(ctx, filter, pageSize(first));
  }

  @Query(() => Ticket, { nullable: true, description: 'Null when unknown or outside the caller’s libraries.' })
  ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: StudentContext) {
    return getTicket(ctx, id);
  }

  @Directive(PUBLIC_TAG)
  @Query(() => [Ticket], { description: "One student's tickets, newest first (the student app follows its students' tickets)." })
  studentTickets(@Arg('studentId', () => ID) studentId: string, @Args() { first }: PageArgs, @Ctx() ctx: StudentContext) {
    return studentTickets(ctx, studentId, pageSize(first));
  }

  @Query(() => TicketSlaSettings)
  ticketSlaSettings(@Ctx() ctx: StudentContext) {
    return ticketSlaSettings(ctx);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => Ticket, { description: 'Raises a ticket for a student (the student app must name one) or for a library.' })
  raiseTicket(@Arg('input', () => RaiseTicketInput) input: RaiseTicketInput, @Ctx() ctx: StudentContext) {
    return raiseTicket(ctx, input);
  }

  @Mutation(() => Ticket, { description: 'One step of the status flow (RESOLVED needs a resolution; RESOLVED/CLOSED → OPEN reopens).' })
  moveTicket(@Arg('input', () => MoveTicketInput) input: MoveTicketInput, @Ctx() ctx: StudentContext) {
    return moveTicket(ctx, input);
  }

  @Mutation(() => Ticket, { description: 'Gives the ticket to an active staff member of its library; without userId, unassigns it.' })
  assignTicket(@Arg('id', () => ID) id: string, @Arg('userId', () => ID, { nullable: true }) userId: string | undefined, @Ctx() ctx: StudentContext) {
    return assignTicket(ctx, id, userId);
  }

  @Directive(PUBLIC_TAG)
  @Mutation(() => TicketComment, { description: 'A public comment or (staff only) an internal note.' })
  addTicketComment(@Arg('input', () => TicketCommentInput) input: TicketCommentInput, @Ctx() ctx: StudentContext) {
    return addTicketComment(ctx, input);
  }

  @Mutation(() => TicketSlaSettings, { description: 'Sets SLA targets per priority (tenant-wide; the others keep theirs). New tickets take them.' })
  setTicketSlaTargets(@Arg('targets', () => [TicketSlaTargetInput]) targets: TicketSlaTargetInput[], @Ctx() ctx: StudentContext) {
    return setTicketSlaTargets(ctx, targets);
  }

  @Mutation(() => TicketSlaCheck, { description: 'Runs the SLA breach check of the tenant now (the periodic job does it every minute).' })
  runTicketSlaCheck(@Ctx() ctx: StudentContext) {
    return runTicketSlaCheck(ctx);
  }

  @Subscription(() => Ticket, {
    description:
      'A ticket of the caller’s libraries that changed (raised, moved, assigned, commented, SLA breached). Without libraryId: every library in scope.',
    subscribe: servedByGateway,
  })
  ticketUpdated(@Arg('libraryId', () => ID, { nullable: true }) _libraryId: string | undefined, @Root() ticket: Ticket): Ticket {
    return ticket;
  }

  @Directive(PUBLIC_TAG)
  @FieldResolver(() => [TicketComment], { description: 'Oldest first; internal notes are left out for the student app.' })
  comments(@Root() t: TicketView, @Ctx() ctx: StudentContext) {
    return ticketComments(ctx, t.id);
  }
}
