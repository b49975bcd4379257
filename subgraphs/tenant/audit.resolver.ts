import { trusted } from 'mongoose';
import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput } from '../../core/errors';
import { isPlatformRole } from '../../core/permissions/catalog';
import { auditModel, platformAuditModel, type AuditDoc } from './audit.model';
import { AuditEntry, AuditFilter } from './audit.type';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => [AuditEntry], {
    description: "Audit log, newest first: the caller's tenant; platform staff without x-tenant see platform-level actions.",
  })
  async auditLog(
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | undefined,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (first < 1 || first > 500) throw badInput('first', 'must be between 1 and 500');
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
}
