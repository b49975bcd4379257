import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { noteBefore } from '../../core/server/audit-plugin';
import { TenantSecurityPolicyInput } from './security-policy.input';
import { securityPolicyModel, type SecurityPolicyDoc } from './security-policy.model';
import { TenantSecurityPolicy } from './security-policy.type';

const toPolicy = (d: SecurityPolicyDoc | null) => ({ totpRequiredRoles: d?.totpRequiredRoles ?? [], updatedAt: d?.updatedAt ?? null });

@Resolver(() => TenantSecurityPolicy)
export class SecurityPolicyResolver {
  @Query(() => TenantSecurityPolicy, { description: 'The caller\'s tenant account security policy.' })
  async tenantSecurityPolicy(@Ctx() ctx: RequestContext) {
    return toPolicy(await securityPolicyModel(await ctx.tenantDb()).findById('security').lean<SecurityPolicyDoc>());
  }

  @Mutation(() => TenantSecurityPolicy, {
    description: 'Sets which roles must use TOTP. Applies at their next login or token refresh (access tokens run out within ACCESS_TOKEN_TTL).',
  })
  async updateTenantSecurityPolicy(@Arg('input', () => TenantSecurityPolicyInput) input: TenantSecurityPolicyInput, @Ctx() ctx: RequestContext) {
    const Policy = securityPolicyModel(await ctx.tenantDb());
    noteBefore(ctx, 'security', toPolicy(await Policy.findById('security').lean<SecurityPolicyDoc>()));
    const doc = await Policy.findOneAndUpdate(
      { _id: 'security' },
      { $set: { totpRequiredRoles: [...new Set(input.totpRequiredRoles)], updatedAt: new Date(), updatedBy: ctx.auth!.sub } },
      { upsert: true, returnDocument: 'after' },
    ).lean<SecurityPolicyDoc>();
    return toPolicy(doc);
  }
}
