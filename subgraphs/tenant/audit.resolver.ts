import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { listAuditLog } from './audit.service';
import { AuditFilter } from './audit.input';
import { AuditEntry } from './audit.type';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => [AuditEntry], {
    description: "Audit log, newest first: the caller's tenant; platform staff without x-tenant see platform-level actions.",
  })
  auditLog(
    @Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | undefined,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: TenantContext,
  ) {
    return listAuditLog(ctx, filter, first);
  }
}
