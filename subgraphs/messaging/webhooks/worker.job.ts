import { forEachActiveTenant, usePeriodicJob } from '../../../core/jobs/periodic';
import type { MessagingDeps } from '../context';
import { pruneDeliveries, runDueDeliveries, WEBHOOK_LOG_RETENTION_DAYS } from './delivery.service';
import { webhookOptionsOf } from './fanout.events';
import { disabledNotifier } from './notice.service';

/**
 * The delivery worker: every `intervalMs`, each active tenant's due deliveries get their
 * next attempt. Safe on several instances (attempts are claimed by unique insert).
 * About once an hour a pass also prunes the log past its retention.
 */
export function startWebhookWorker(deps: MessagingDeps): () => Promise<void> {
  const opts = webhookOptionsOf(deps);
  const publish = deps.pubsub.publish.bind(deps.pubsub);
  let lastPrune = 0;
  return usePeriodicJob({
    name: 'webhook deliveries',
    intervalMs: opts.intervalMs,
    log: deps.log,
    run: async (stopped) => {
      const prune = Date.now() - lastPrune >= 3600_000;
      if (prune) lastPrune = Date.now();
      const before = new Date(Date.now() - WEBHOOK_LOG_RETENTION_DAYS * 86_400_000);
      await forEachActiveTenant(deps, 'webhook deliveries', stopped, async (t, conn) => {
        const env = { conn, ring: deps.config.security.accountKeys, opts, notifyDisabled: disabledNotifier(conn, publish, t._id.toHexString()) };
        await runDueDeliveries(env);
        if (prune) await pruneDeliveries(conn, before);
      });
    },
  });
}
