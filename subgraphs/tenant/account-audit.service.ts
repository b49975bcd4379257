import type { TenantContext } from './context';
import { topics } from '../../core/events';
import type { TenantRecord } from '../../core/tenancy/registry';
import type { UserDoc } from './user.model';

/**
 * Account events the audit plugin cannot see (it records authenticated
 * mutations only): logins, failed logins, reset requests and resets, TOTP set-up
 * during a login. Tenant users' go to the tenant's audit log, platform users'
 * (and attempts on unknown tenants) to the platform's. Never a password or code;
 * an unknown email is recorded as userId "unknown" without the address.
 */
export async function auditAccount(
  ctx: TenantContext,
  tenant: TenantRecord | null,
  action: string,
  user: Pick<UserDoc, '_id' | 'role'> | null,
  result: Record<string, unknown> | null = null,
): Promise<void> {
  const userId = user ? user._id.toHexString() : 'unknown';
  await ctx.publish(topics.audit, {
    tenantId: tenant ? tenant._id.toHexString() : null,
    service: ctx.service,
    action,
    userId,
    role: user?.role ?? 'anonymous',
    entityId: user ? userId : null,
    input: null,
    before: null,
    result,
    ip: ctx.clientIp ?? null,
    requestId: ctx.requestId,
    at: new Date().toISOString(),
  });
}
