import { Types } from 'mongoose';
import type { ContextDeps } from '../../core/context';
import { topics } from '../../core/events';
import { startConsumer } from '../../core/events/outbox';
import { changeTenantStatus } from '../../core/tenancy/tenant-status';

/**
 * Billing's dunning asks this subgraph, which alone writes the registry, to
 * suspend a tenant whose grace period ended unpaid (`saas.suspend`) and to
 * reactivate it once paid (`saas.reactivate`). Through the status-claim chain
 * (core/tenancy/tenant-status.ts), so concurrent or redelivered events change the
 * status once and announce it once; a tenant already there is left as it is.
 * Durable consumer `tenant.status` (at least once).
 */
export function startBillingStatusConsumer(deps: ContextDeps): () => Promise<void> {
  const consumer = startConsumer(deps, 'tenant.status', ({ name, event }) =>
    apply(event as unknown as Record<string, unknown>, name === 'saas.suspend' ? 'suspended' : 'active'),
  );
  return () => consumer.stop();

  async function apply(e: Record<string, unknown>, to: 'active' | 'suspended'): Promise<void> {
    if (typeof e.tenantId !== 'string' || !Types.ObjectId.isValid(e.tenantId)) return void deps.log.warn({ to }, 'malformed billing status event ignored');
    const { changed } = await changeTenantStatus(deps.db.platform(), new Types.ObjectId(e.tenantId), to).catch((err: unknown) => {
      // Refused (e.g. still provisioning): nothing to do.
      deps.log.warn({ err, tenantId: e.tenantId, to }, 'billing status change refused');
      return { changed: false };
    });
    if (changed) await deps.pubsub.publish(topics.tenantStatus, { tenantId: e.tenantId, status: to, reason: 'billing' });
  }
}
