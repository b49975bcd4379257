import { accountClaimSchema } from './account-claim.model';
import { passwordResetSchema } from './password-reset.model';
import { securityPolicySchema } from './security-policy.model';
import { totpSchema } from './totp.model';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { isPlatformRole } from '../../core/permissions/catalog';
import { quotaSlotSchema } from '../../core/tenancy/quota';
import { findTenant, tenantRegistry, type TenantRecord } from '../../core/tenancy/registry';
import { apiKeyUseSchema } from './apikey.model';
import { trustedDocumentSchema } from './trusted-document.model';
import { auditSchema } from './audit.model';
import { librarySchema } from './library.model';
import { CreateTenantInput } from './tenant.input';
import { createTenant, setTenantStatus, toTenant } from './tenant.service';
import { Tenant, TenantStatus } from './tenant.type';
import { userSchema } from './user.model';

/** Collections the tenant subgraph keeps in every tenant database. */
export const tenantSubgraphSchemas = {
  Library: librarySchema,
  User: userSchema,
  TenantQuota: quotaSlotSchema('tenant_quotas'),
  ApiKeyUse: apiKeyUseSchema,
  TrustedDocument: trustedDocumentSchema,
  AuditEntry: auditSchema,
  UserTotp: totpSchema, PasswordReset: passwordResetSchema, AccountClaim: accountClaimSchema, SecurityPolicy: securityPolicySchema,
};

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { description: 'The caller\'s tenant.' })
  async tenant(@Ctx() ctx: RequestContext) {
    return toTenant(await ctx.tenant());
  }

  @Query(() => [Tenant], { description: 'All tenants (platform roles).' })
  async tenants(@Arg('status', () => TenantStatus, { nullable: true }) status: TenantStatus | undefined, @Ctx() ctx: RequestContext) {
    const docs = await tenantRegistry(ctx.db.platform())
      .find(status ? { status } : {})
      .sort({ slug: 1 })
      .limit(1000)
      .lean<TenantRecord[]>();
    return docs.map(toTenant);
  }

  @Mutation(() => Tenant, { description: 'Registers and provisions a tenant with its owner.' })
  createTenant(@Arg('input', () => CreateTenantInput) input: CreateTenantInput, @Ctx() ctx: RequestContext) {
    return createTenant(ctx, input, tenantSubgraphSchemas);
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

/** Tenants are platform records: a tenant user may only resolve its own. */
export async function resolveTenantReference(ref: Record<string, unknown>, ctx: RequestContext) {
  if (!ctx.auth || typeof ref.id !== 'string') return null;
  if (isPlatformRole(ctx.auth.role)) {
    const t = await findTenant(ctx.db.platform(), { id: ref.id });
    return t ? toTenant(t) : null;
  }
  return ref.id === ctx.auth.tid ? toTenant(await ctx.tenant()) : null;
}
