import { emitterOf } from '../../../core/events/outbox';
import { useDueTenantJob } from '../../../core/jobs/due-tenant-job';
import { nowOf, type StudentDeps } from '../context';
import { tenantStaffOf } from './staff.client';
import { nextSlaDue, ticketSlaMarks } from './ticket-sla-due.service';
import { checkSla } from './ticket-sla.service';

/**
 * The periodic SLA breach check, every `intervalMs`, of the tenants marked as having a
 * clock run out (./ticket-sla-due.service.ts), plus the hourly sweep of every active
 * tenant. Safe on several instances and when a run repeats: each breach is a unique
 * insert, recorded and notified once.
 */
export function startTicketSlaJob(deps: StudentDeps, intervalMs: number): () => Promise<void> {
  const emit = emitterOf(deps);
  return useDueTenantJob({
    name: 'ticket sla',
    deps,
    marks: ticketSlaMarks(deps),
    intervalMs,
    now: () => nowOf(deps),
    pass: async (t, conn) => {
      const tenant = { id: t._id.toHexString(), slug: t.slug };
      const recorded = await checkSla({
        conn,
        now: nowOf(deps),
        staff: () => tenantStaffOf(deps, tenant),
        out: {
          tenantId: tenant.id,
          emit,
          publish: (topic, payload) => deps.pubsub.publish(topic, payload).catch((err: unknown) => deps.log.error({ err, topic }, 'event not published')),
        },
      });
      if (recorded) deps.log.info({ tenant: t.slug, recorded }, 'ticket SLA breaches recorded');
    },
    next: nextSlaDue,
  });
}
