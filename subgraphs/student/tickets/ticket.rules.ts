import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Ticket, TicketComment, TicketSlaCheck, TicketSlaSettings, TicketSlaTarget } from './ticket.type';
import type { TicketAgeRow, TicketPriorityCount, TicketResolutionRow, TicketSlaBreach, TicketSlaBreachReport } from './ticket-report.type';

/**
 * Who may reach the complaints desk (docs/permissions.md). Partner keys hold tickets:write
 * at most: they raise for a student, follow that student's tickets and comment publicly
 * (internal notes are filtered out for them in ticket-comment.service.ts).
 * Ticket fields are open to any caller that reached a ticket through these entry points.
 */
export const ticketRules: RuleTable = {
  Query: {
    tickets: 'tickets:read',
    ticket: 'tickets:read',
    studentTickets: 'tickets:write',
    ticketSlaSettings: 'tickets:read',
    ticketAgeReport: 'tickets:read',
    ticketSlaBreaches: 'tickets:read',
    ticketResolutionTimes: 'tickets:read',
  },
  Mutation: {
    raiseTicket: 'tickets:write',
    moveTicket: 'tickets:write',
    addTicketComment: 'tickets:write',
    assignTicket: 'tickets:manage',
    setTicketSlaTargets: 'tickets:manage',
    runTicketSlaCheck: 'tickets:manage',
  },
  Subscription: { ticketUpdated: 'tickets:read' },
  Ticket: typeRules<Ticket, 'comments'>({ '*': 'authenticated' }),
  TicketComment: typeRules<TicketComment>({ '*': 'authenticated' }),
  TicketSlaSettings: typeRules<TicketSlaSettings>({ '*': 'tickets:read' }),
  TicketSlaTarget: typeRules<TicketSlaTarget>({ '*': 'tickets:read' }),
  TicketSlaCheck: typeRules<TicketSlaCheck>({ '*': 'tickets:manage' }),
  TicketAgeRow: typeRules<TicketAgeRow>({ '*': 'tickets:read' }),
  TicketSlaBreachReport: typeRules<TicketSlaBreachReport>({ '*': 'tickets:read' }),
  TicketSlaBreach: typeRules<TicketSlaBreach>({ '*': 'tickets:read' }),
  TicketPriorityCount: typeRules<TicketPriorityCount>({ '*': 'tickets:read' }),
  TicketResolutionRow: typeRules<TicketResolutionRow>({ '*': 'tickets:read' }),
};
