import type { Emit } from '../../../core/events';
import type { StudentContext } from '../context';
import { ticketTopic, type TicketChange } from '../events';
import type { TicketDoc } from './ticket.model';

/** Where a ticket's changes are announced: a request's or a background job's emitter and bus. */
export interface TicketOutlet {
  tenantId: string;
  emit: Emit;
  publish(topic: string, payload: object): Promise<void>;
}

export const outletOf = async (ctx: StudentContext): Promise<TicketOutlet> => ({
  tenantId: (await ctx.tenant())._id.toHexString(),
  emit: ctx.emit,
  publish: (topic, payload) => ctx.publish(topic, payload),
});

/**
 * Tells live subscribers (ticketUpdated) about a change and, unless it is an internal
 * note (`announce` false), stores the durable `ticket.updated` event (outbound webhooks).
 * The key makes a retried emit of the same change one event.
 */
export async function ticketChanged(out: TicketOutlet, t: TicketDoc, change: TicketChange, key: string, announce = true): Promise<void> {
  const ticketId = t._id.toHexString();
  const libraryId = t.libraryId.toHexString();
  if (announce) {
    const studentId = t.studentId ? { studentId: t.studentId.toHexString() } : {};
    await out.emit(
      'ticket.updated',
      { tenantId: out.tenantId, ticketId, libraryId, ...studentId, status: t.status, priority: t.priority, change },
      `${ticketId}:${key}`,
    );
  }
  await out.publish(ticketTopic(out.tenantId), { ticketId, libraryId, change });
}
