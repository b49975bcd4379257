import { forEachActiveTenant, usePeriodicJob } from '../../../core/jobs/periodic';
import type { MessagingDeps } from '../context';
import { runDueDeliveries } from './delivery.service';
import { webhookOptionsOf } from './fanout.events';
import { disabledNotifier } from './notice.service';

/**
 * The delivery worker: every `intervalMs`, each active tenant's due deliveries get their
 * next attempt. Safe on several instances (attempts are claimed by unique insert).
 */
export function startWebhookWorker(deps: MessagingDeps): () => Promise<void> {
  const opts = webhookOptionsOf(deps);
  const publish = deps.pubsub.publish.bind(deps.pubsub);
  return usePeriodicJob({
    name: 'webhook deliveries',
    intervalMs: opts.intervalMs,
    log: deps.log,
    run: (stopped) =>
      forEachActiveTenant(deps, 'webhook deliveries', stopped, async (t, conn) => {
        const env = { conn, ring: deps.config.security.accountKeys, opts, notifyDisabled: disabledNotifier(conn, publish, t._id.toHexString()) };
        await runDueDeliveries(env);
      }),
  });
}
