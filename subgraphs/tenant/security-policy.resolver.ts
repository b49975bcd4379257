import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { TenantContext } from './context';
import { TenantSecurityPolicyInput } from './security-policy.input';
import { readSecurityPolicy, updateSecurityPolicy } from './security-policy.service';
import { TenantSecurityPolicy } from './security-policy.type';

@Resolver(() => TenantSecurityPolicy)
export class SecurityPolicyResolver {
  @Query(() => TenantSecurityPolicy, { description: "The caller's tenant account security policy." })
  tenantSecurityPolicy(@Ctx() ctx: TenantContext) {
    return readSecurityPolicy(ctx);
  }

  @Mutation(() => TenantSecurityPolicy, {
    description: 'Sets which roles must use TOTP. Applies at their next login or token refresh (access tokens run out within ACCESS_TOKEN_TTL).',
  })
  updateTenantSecurityPolicy(@Arg('input', () => TenantSecurityPolicyInput) input: TenantSecurityPolicyInput, @Ctx() ctx: TenantContext) {
    return updateSecurityPolicy(ctx, input);
  }
}
