import { forEachActiveTenant, usePeriodicJob } from '../../core/jobs/periodic';
import { runDuesReminders } from './automation-dues.service';
import { loadSettings } from './automation-settings.service';
import { serviceContext, type AutomationRuntime, type MessagingDeps } from './context';

/** Periodic run (every `intervalMs`) over every active tenant with dues reminders on; runs never overlap; stop waits for the current one. */
export function startDuesJob(deps: MessagingDeps, runtime: AutomationRuntime, intervalMs: number): () => Promise<void> {
  return usePeriodicJob({
    name: 'dues reminders',
    intervalMs,
    log: deps.log,
    run: (stopped) =>
      forEachActiveTenant(
        deps,
        'dues reminders',
        stopped,
        async (t, conn) => {
          const settings = await loadSettings(conn, runtime);
          if (!settings.dues.enabled) return;
          const report = await runDuesReminders(() => serviceContext(deps, { id: t._id.toHexString(), slug: t.slug }), settings.dues);
          deps.log.info({ tenant: t.slug, ...report }, 'dues reminders sent');
        },
        { spreadMs: intervalMs / 2 },
      ),
  });
}
