import { subgraphEvents, tenantTopic } from '../../core/events';

/** The domain events the student subgraph emits, with their payloads (besides tenantId). */
export type StudentEvents = {
  /** A student was enrolled. Key: studentId. */
  'student.created': { studentId: string };
  /** A check-in filled a library to 90 %. Key: eventId (one per crossing). */
  'library.nearCapacity': { eventId: string; libraryId: string; occupied: number; capacity: number };
  /** A ticket changed (for outbound webhooks; internal notes are not announced). Key: `<ticketId>:<n>` per change. */
  'ticket.updated': TicketUpdated;
  /** A ticket was assigned to a staff user. Key: eventId. */
  'ticket.assigned': { eventId: string; ticketId: string; number: string; libraryId: string; assigneeId: string };
  /** An SLA clock of a ticket ran out (once per ticket and clock). Key: breachId. */
  'ticket.slaBreached': { breachId: string; ticketId: string; number: string; libraryId: string; kind: string; priority: string; userIds: string[] };
  /** A student checked in (outbound webhooks). Key: attendanceId. `checkInAt` is ISO 8601. */
  'attendance.checkedIn': { attendanceId: string; studentId: string; libraryId: string; checkInAt: string };
};

export type TicketChange = 'created' | 'status' | 'assigned' | 'commented' | 'sla_breached';
export type TicketUpdated = { ticketId: string; libraryId: string; studentId?: string; status: string; priority: string; change: TicketChange };

export const studentEvents = subgraphEvents<StudentEvents>()({
  emits: {
    'student.created': true,
    'library.nearCapacity': true,
    'attendance.checkedIn': true,
    'ticket.updated': true,
    'ticket.assigned': true,
    'ticket.slaBreached': true,
  },
  consumers: {
    /** payment.recorded → referral conversion (reward unique per referee). */
    'student.referral': ['payment.recorded'],
  },
});

export type OccupancyChangeKind = 'check_in' | 'check_out' | 'booking' | 'booking_cancelled';
/** Realtime: a library's occupancy changed (check-in, check-out, booking); occupancyChanged listens. */
export const occupancyTopic = tenantTopic<{ libraryId: string; kind: OccupancyChangeKind }>('occupancy');
/** Realtime: a ticket changed (internal notes included: subscribers are staff); ticketUpdated listens. */
export const ticketTopic = tenantTopic<{ ticketId: string; libraryId: string; change: TicketChange }>('ticket');
