import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { CreateTenantInput } from './tenant.input';
import { createTenant, listTenants, setTenantStatus, toTenant } from './tenant.service';
import { Tenant, TenantStatus } from './tenant.type';

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { description: 'The caller\'s tenant.' })
  async tenant(@Ctx() ctx: RequestContext) {
    return toTenant(await ctx.tenant());
  }

  @Query(() => [Tenant], { description: 'All tenants (platform roles).' })
  tenants(@Arg('status', () => TenantStatus, { nullable: true }) status: TenantStatus | undefined, @Ctx() ctx: RequestContext) {
    return listTenants(ctx, status ?? undefined);
  }

  @Mutation(() => Tenant, { description: 'Registers and provisions a tenant with its owner.' })
  createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: RequestContext) {
    return createTenant(ctx, input);
  }

  @Mutation(() => Tenant)
  suspendTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return setTenantStatus(ctx, id, 'suspended');
  }

  @Mutation(() => Tenant)
  reactivateTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return setTenantStatus(ctx, id, 'active');
  }
}
