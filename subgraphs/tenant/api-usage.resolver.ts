import { Arg, Args, Ctx, Directive, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { ApiKeyUsageDailyArgs, RecordApiUsageInput, TenantApiUsageArgs } from './api-usage.input';
import { apiKeyUsageDaily, recordApiUsage, tenantApiUsageDaily } from './api-usage.service';
import { ApiKeyUsageDay, TenantApiUsageDay } from './api-usage.type';

@Resolver()
export class ApiUsageResolver {
  @Query(() => [ApiKeyUsageDay], {
    description: "Partner requests per key, day and operation (tenant-local days) of the caller's tenant; platform staff name one with x-tenant.",
  })
  apiKeyUsageDaily(@Args() args: ApiKeyUsageDailyArgs, @Ctx() ctx: TenantContext) {
    return apiKeyUsageDaily(ctx, args);
  }

  @Query(() => [TenantApiUsageDay], { description: 'Platform: partner requests per tenant and day.' })
  tenantApiUsageDaily(@Args() args: TenantApiUsageArgs, @Ctx() ctx: TenantContext) {
    return tenantApiUsageDaily(ctx, args);
  }

  @Directive('@inaccessible')
  @Mutation(() => Int, { description: 'Internal: the gateway records answered partner requests (its service token only). Returns how many were new.' })
  recordApiUsage(@Arg('input', () => RecordApiUsageInput) input: RecordApiUsageInput, @Ctx() ctx: TenantContext) {
    return recordApiUsage(ctx, input.entries);
  }
}
