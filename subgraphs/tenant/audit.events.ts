import { trusted } from 'mongoose';
import type { ContextDeps } from '../../core/context';
import { topics } from '../../core/events';
import { findTenant } from '../../core/tenancy/registry';
import { auditModel, platformAuditModel } from './audit.model';

const DAY = 24 * 3600 * 1000;

/**
 * Stores the audit events every subgraph publishes, and enforces retention
 * (AUDIT_RETENTION_DAYS, default 365) by deleting old entries of a tenant at
 * most once an hour per process — FerretDB has no TTL indexes, and this works
 * the same on MongoDB.
 */
export async function startAuditListener(deps: ContextDeps): Promise<() => void> {
  const retentionDays = Number(process.env.AUDIT_RETENTION_DAYS ?? 365);
  const lastSweep = new Map<string, number>();
  const off = await deps.pubsub.subscribe(topics.audit, (e) => {
    void store(e).catch((err: unknown) => deps.log.error({ err, action: e.action }, 'audit entry not stored'));
  });

  async function store(e: Record<string, unknown>): Promise<void> {
    const entry = {
      service: String(e.service), action: String(e.action), userId: String(e.userId), role: String(e.role),
      entityId: (e.entityId as string | null) ?? null, input: e.input, result: e.result,
      ip: (e.ip as string | null) ?? null, requestId: String(e.requestId), at: new Date(String(e.at)),
    };
    const tenant = typeof e.tenantId === 'string' ? await findTenant(deps.db.platform(), { id: e.tenantId }) : null;
    const conn = tenant ? deps.db.tenant(tenant.dbName) : deps.db.platform();
    const Model = tenant ? auditModel(conn) : platformAuditModel(conn);
    await Model.create(entry);
    const key = tenant?.dbName ?? 'platform';
    if (Date.now() - (lastSweep.get(key) ?? 0) > 3600_000) {
      lastSweep.set(key, Date.now());
      await Model.deleteMany({ at: trusted({ $lt: new Date(Date.now() - retentionDays * DAY) }) });
    }
  }
  return off;
}
