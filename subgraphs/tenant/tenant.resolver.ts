import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { CreateTenantInput } from './tenant.input';
import { createTenant, listTenants, setTenantStatus, toTenant } from './tenant.service';
import { Tenant, TenantStatus } from './tenant.type';

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { description: "The caller's tenant." })
  async tenant(@Ctx() ctx: TenantContext) {
    return toTenant(await ctx.tenant());
  }

  @Query(() => [Tenant], { description: 'All tenants (platform roles).' })
  tenants(@Arg('status', () => TenantStatus, { nullable: true }) status: TenantStatus | undefined, @Ctx() ctx: TenantContext) {
    return listTenants(ctx, status ?? undefined);
  }

  @Mutation(() => Tenant, { description: 'Registers and provisions a tenant with its owner.' })
  createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: TenantContext) {
    return createTenant(ctx, input);
  }

  @Mutation(() => Tenant)
  suspendTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return setTenantStatus(ctx, id, 'suspended');
  }

  @Mutation(() => Tenant)
  reactivateTenant(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return setTenantStatus(ctx, id, 'active');
  }
}
