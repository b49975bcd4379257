import type { BillingDeps } from '../context';
import { useDueTenantJob } from '../../../core/jobs/due-tenant-job';
import { emitterOf } from '../../../core/events/outbox';
import { expiringNotice, runFeeCycle } from './fee-cycle.service';
import { feeCycleMarks, nextFeeCycle } from './fee-cycle-due.service';

/**
 * The fee cycle, for the tenants whose pass is due (looked for every `intervalMs`): each
 * tenant with fees once a day after midnight in India, and soon after a membership change
 * (./fee-cycle-due.service.ts). Every step is a matter of days, so one pass a day is all an
 * idle tenant needs; an hourly pass over every tenant was 24 a day (issue 19). A sweep of
 * every active tenant every 6 h repairs a lost mark. Runs on several instances at once, or
 * twice, change nothing more than once: every step is keyed.
 */
export function startFeeCycleJob(deps: BillingDeps, now: () => Date, intervalMs: number): () => Promise<void> {
  return useDueTenantJob({
    name: 'fee cycle',
    deps,
    marks: feeCycleMarks(deps),
    intervalMs,
    now,
    pass: async (t, conn) => {
      const report = await runFeeCycle(conn, now(), expiringNotice(emitterOf(deps), t._id.toHexString()));
      if (report.renewed || report.expired || report.unfrozen || report.lateFees) deps.log.info({ tenant: t.slug, ...report }, 'fee cycle ran');
    },
    next: (conn, t) => nextFeeCycle(conn, t._id.toHexString(), now()),
    sweepEveryMs: 6 * 3600_000,
  });
}
