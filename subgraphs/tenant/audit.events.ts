import type { ContextDeps } from '../../core/context';
import { topics, type AuditEvent } from '../../core/events';
import { tenantById } from '../../core/tenancy/tenant-db';
import { auditModel, platformAuditModel } from './audit.model';
import { auditRetention } from './audit-retention.job';

/** Stores the audit events every subgraph publishes; retention is audit-retention.job.ts. */
export async function startAuditListener(deps: ContextDeps): Promise<() => void> {
  const retention = auditRetention(deps);
  const off = await deps.pubsub.subscribe(topics.audit, (e) => {
    void store(e).catch((err: unknown) => deps.log.error({ err, action: e.action }, 'audit entry not stored'));
  });

  async function store(e: AuditEvent): Promise<void> {
    const entry = {
      service: String(e.service),
      action: String(e.action),
      userId: String(e.userId),
      role: String(e.role),
      entityId: (e.entityId as string | null) ?? null,
      input: e.input,
      before: e.before ?? null,
      result: e.result,
      ip: (e.ip as string | null) ?? null,
      requestId: String(e.requestId),
      at: new Date(String(e.at)),
    };
    const found = await tenantById(deps.db, e.tenantId);
    const tenant = found?.tenant;
    const conn = found?.conn ?? deps.db.platform();
    const Model = tenant ? auditModel(conn) : platformAuditModel(conn);
    await Model.create(entry);
    await retention.afterWrite(tenant?.dbName ?? 'platform', Model);
  }
  return () => {
    retention.stop();
    off();
  };
}
