import { useDueTenantJob } from '../../../core/jobs/due-tenant-job';
import type { MessagingDeps } from '../context';
import { pruneDeliveries, runDueDeliveries, WEBHOOK_LOG_RETENTION_DAYS } from './delivery.service';
import { nextDeliveryDue, webhookDueMarks } from './due.service';
import { webhookOptionsOf } from './fanout.events';
import { disabledNotifier } from './notice.service';

/**
 * The delivery worker: every `intervalMs`, the tenants marked as having deliveries due
 * (./due.service.ts) get their next attempts, and each one's next due time (a retry) is
 * marked again. The hourly sweep over every active tenant also prunes the log past its
 * retention. Safe on several instances (attempts are claimed by unique insert, marks are inserts).
 */
export function startWebhookWorker(deps: MessagingDeps): () => Promise<void> {
  const opts = webhookOptionsOf(deps);
  const publish = deps.pubsub.publish.bind(deps.pubsub);
  return useDueTenantJob({
    name: 'webhook deliveries',
    deps,
    marks: webhookDueMarks(deps),
    intervalMs: opts.intervalMs,
    pass: async (t, conn) => {
      const notifyDisabled = disabledNotifier(conn, publish, t._id.toHexString());
      await runDueDeliveries({ conn, ring: deps.config.security.accountKeys, opts, notifyDisabled });
    },
    next: nextDeliveryDue,
    sweepExtra: (_t, conn) => pruneDeliveries(conn, new Date(Date.now() - WEBHOOK_LOG_RETENTION_DAYS * 86_400_000)).then(() => undefined),
  });
}
