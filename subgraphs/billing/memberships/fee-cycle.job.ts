import type { BillingDeps } from '../context';
import { forEachActiveTenant, usePeriodicJob } from '../../../core/jobs/periodic';
import { emitterOf } from '../../../core/events/outbox';
import { expiringNotice, runFeeCycle } from './fee-cycle.service';

/**
 * The periodic fee cycle (every `intervalMs`) over every active tenant. Runs never
 * overlap here, and a run on another instance at the same time is harmless: every step is keyed.
 */
export function startFeeCycleJob(deps: BillingDeps, now: () => Date, intervalMs: number): () => Promise<void> {
  return usePeriodicJob({
    name: 'fee cycle',
    intervalMs,
    log: deps.log,
    run: (stopped) =>
      forEachActiveTenant(
        deps,
        'fee cycle',
        stopped,
        async (t, conn) => {
          const report = await runFeeCycle(conn, now(), expiringNotice(emitterOf(deps), t._id.toHexString()));
          deps.log.info({ tenant: t.slug, ...report }, 'fee cycle ran');
        },
        { spreadMs: intervalMs / 2 },
      ),
  });
}
