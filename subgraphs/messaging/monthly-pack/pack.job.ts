import { forEachActiveTenant, usePeriodicJob } from '../../../core/jobs/periodic';
import type { MessagingDeps } from '../context';
import { runMonthlyPack } from './pack.service';

/**
 * Every `intervalMs`, last month's pack for every active tenant that has not had it: cheap
 * when there is nothing to do (one indexed read per tenant), safe on several instances and
 * when run twice (the claim is one unique insert). `now` is the test clock.
 */
export function startMonthlyPackJob(deps: MessagingDeps, intervalMs: number, now: () => Date = () => new Date()): () => Promise<void> {
  return usePeriodicJob({
    name: 'monthly pack',
    intervalMs,
    log: deps.log,
    run: (stopped) =>
      forEachActiveTenant(
        deps,
        'monthly pack',
        stopped,
        async (t, conn) => {
          await runMonthlyPack(deps, t, conn, now());
        },
        { spreadMs: intervalMs / 2 },
      ),
  });
}
