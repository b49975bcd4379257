import { Types } from 'mongoose';
import type { ContextDeps } from '../../core/context';
import { topics } from '../../core/events';
import { startConsumer } from '../../core/events/outbox';
import { tenantRegistry } from '../../core/tenancy/registry';
import { PLAN_NAMES } from '../../core/tenancy/plans';

const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);

/**
 * Applies billing's `plan.changed { tenantId, plan, limits }` to the tenant
 * registry, which only this subgraph writes (durable consumer `tenant.plan`).
 * One single-document $set, so a redelivery changes nothing; an event with an
 * unknown plan or malformed limits is logged and ignored.
 */
export function startPlanConsumer(deps: ContextDeps): () => Promise<void> {
  const consumer = startConsumer(deps, 'tenant.plan', ({ event }) => apply(event as unknown as Record<string, unknown>));
  return () => consumer.stop();

  async function apply(e: Record<string, unknown>): Promise<void> {
    const limits = (e.limits ?? {}) as Record<string, unknown>;
    const next = { maxLibraries: count(limits.maxLibraries), maxStudents: count(limits.maxStudents), maxStaff: count(limits.maxStaff) };
    const valid =
      typeof e.tenantId === 'string' &&
      Types.ObjectId.isValid(e.tenantId) &&
      typeof e.plan === 'string' &&
      PLAN_NAMES.includes(e.plan) &&
      Object.values(next).every((v) => v !== undefined);
    if (!valid) return void deps.log.warn({ tenantId: e.tenantId, plan: e.plan }, 'malformed plan.changed event ignored');
    await tenantRegistry(deps.db.platform()).updateOne({ _id: new Types.ObjectId(e.tenantId as string) }, { $set: { plan: e.plan, limits: next } });
    await deps.pubsub.publish(topics.tenantChanged, { tenantId: e.tenantId });
  }
}
