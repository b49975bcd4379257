import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { TenantContext } from './context';
import { listAuditLog } from './audit.service';
import { AuditFilter } from './audit.input';
import { AuditEntry } from './audit.type';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Query(() => [AuditEntry], {
    description: "Audit log, newest first: the caller's tenant; platform staff without x-tenant see platform-level actions.",
  })
  auditLog(@Arg('filter', () => AuditFilter, { nullable: true }) filter: AuditFilter | undefined, @Args() { first }: PageArgs, @Ctx() ctx: TenantContext) {
    return listAuditLog(ctx, filter, pageSize(first));
  }
}
