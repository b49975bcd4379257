import type { Connection } from 'mongoose';
import type { TenantContext } from './context';
import { noteBefore } from '../../core/server/audit-plugin';
import type { TenantSecurityPolicyInput } from './security-policy.input';
import { securityPolicyModel, type SecurityPolicyDoc } from './security-policy.model';

const POLICY_ID = 'security';
const toPolicy = (d: SecurityPolicyDoc | null) => ({ totpRequiredRoles: d?.totpRequiredRoles ?? [], updatedAt: d?.updatedAt ?? null });

/** Roles that must use TOTP in this tenant database (none until a policy is set). */
export async function totpRequiredRoles(conn: Connection): Promise<string[]> {
  const doc = await securityPolicyModel(conn).findById(POLICY_ID).lean<SecurityPolicyDoc>();
  return doc?.totpRequiredRoles ?? [];
}

export async function readSecurityPolicy(ctx: TenantContext) {
  return toPolicy(
    await securityPolicyModel(await ctx.tenantDb())
      .findById(POLICY_ID)
      .lean<SecurityPolicyDoc>(),
  );
}

export async function updateSecurityPolicy(ctx: TenantContext, input: TenantSecurityPolicyInput) {
  const Policy = securityPolicyModel(await ctx.tenantDb());
  noteBefore(ctx, POLICY_ID, toPolicy(await Policy.findById(POLICY_ID).lean<SecurityPolicyDoc>()));
  const doc = await Policy.findOneAndUpdate(
    { _id: POLICY_ID },
    { $set: { totpRequiredRoles: [...new Set(input.totpRequiredRoles)], updatedAt: new Date(), updatedBy: ctx.auth!.sub } },
    { upsert: true, returnDocument: 'after' },
  ).lean<SecurityPolicyDoc>();
  return toPolicy(doc);
}
