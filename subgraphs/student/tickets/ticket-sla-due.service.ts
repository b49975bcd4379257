import { trusted, type Connection } from 'mongoose';
import { useDueMarks } from '../../../core/jobs/due-marks';
import type { StudentDeps } from '../context';
import { ticketModel, TicketSlaKind, TicketStatus, type TicketDoc } from './ticket.model';

/** Platform collection of the tenants with an SLA clock running out (the student subgraph owns it). */
export const TICKET_SLA_DUE_COLLECTION = 'ticket_sla_due';

/** Which tenants have an SLA clock due: marked when a ticket is raised or reopened, settled by the SLA job. */
export const ticketSlaMarks = (deps: Pick<StudentDeps, 'db'>) => useDueMarks({ platform: () => deps.db.platform(), collection: TICKET_SLA_DUE_COLLECTION });

/** When the tenant's next open, unbreached SLA clock runs out (null: none runs). */
export async function nextSlaDue(conn: Connection): Promise<Date | null> {
  const Tickets = ticketModel(conn);
  const [first, resolution] = await Promise.all([
    Tickets.findOne({ firstResponseAt: null, breaches: trusted({ $ne: TicketSlaKind.FIRST_RESPONSE }) }, { firstResponseDueAt: 1 })
      .sort({ firstResponseDueAt: 1 })
      .lean<Pick<TicketDoc, 'firstResponseDueAt'>>(),
    Tickets.findOne(
      { status: trusted({ $in: [TicketStatus.OPEN, TicketStatus.IN_PROGRESS] }), breaches: trusted({ $ne: TicketSlaKind.RESOLUTION }) },
      { resolutionDueAt: 1 },
    )
      .sort({ resolutionDueAt: 1 })
      .lean<Pick<TicketDoc, 'resolutionDueAt'>>(),
  ]);
  const times = [first?.firstResponseDueAt, resolution?.resolutionDueAt].filter((d): d is Date => !!d).map((d) => d.getTime());
  return times.length ? new Date(Math.min(...times)) : null;
}
