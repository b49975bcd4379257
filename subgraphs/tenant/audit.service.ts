import { trusted } from 'mongoose';
import type { TenantContext } from './context';
import { isPlatformRole } from '../../core/permissions/catalog';
import { auditModel, platformAuditModel, type AuditDoc } from './audit.model';
import type { AuditFilter } from './audit.input';

/** Newest first: the caller's tenant; platform staff without x-tenant read the platform-level log. */
export async function listAuditLog(ctx: TenantContext, filter: AuditFilter | undefined, first: number) {
  const platformLevel = isPlatformRole(ctx.auth!.role) && !ctx.requestedTenant.slug;
  const Model = platformLevel ? platformAuditModel(ctx.db.platform()) : auditModel(await ctx.tenantDb());
  const query: Record<string, unknown> = {};
  if (filter?.action) query.action = filter.action;
  if (filter?.userId) query.userId = filter.userId;
  if (filter?.from || filter?.to) {
    query.at = trusted({ ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) });
  }
  const docs = await Model.find(query).sort({ at: -1 }).limit(first).lean<AuditDoc[]>();
  return docs.map((d) => ({ ...d, id: d._id.toHexString() }));
}
