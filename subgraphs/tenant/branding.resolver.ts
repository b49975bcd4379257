import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { setTenantModules, tenantBrandingForHost, updateTenantBranding } from './branding.service';
import { BrandingHostArgs, BrandingInput, TenantModulesInput } from './tenant.input';
import { Tenant, TenantBrandingInfo } from './tenant.type';

@Resolver()
export class BrandingResolver {
  @Query(() => TenantBrandingInfo, { nullable: true, description: 'Public: branding of the tenant serving this host name.' })
  tenantBranding(@Args() { host }: BrandingHostArgs, @Ctx() ctx: TenantContext) {
    return tenantBrandingForHost(ctx, host);
  }

  @Mutation(() => Tenant, { description: "Changes the given branding fields of the caller's tenant." })
  updateTenantBranding(@Arg('input', () => BrandingInput) input: BrandingInput, @Ctx() ctx: TenantContext) {
    return updateTenantBranding(ctx, input);
  }

  @Mutation(() => Tenant, { description: 'Switches modules on or off; omitted ones keep their setting.' })
  setTenantModules(@Arg('input', () => TenantModulesInput) input: TenantModulesInput, @Ctx() ctx: TenantContext) {
    return setTenantModules(ctx, input);
  }
}
