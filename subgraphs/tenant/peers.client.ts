import type { TenantContext } from './context';
import { signAccessToken } from '../../core/auth/tokens';
import { AppError } from '../../core/errors';
import { SERVICE_ROLE } from '../../core/permissions/catalog';
import { signingHeaders } from '../../core/security/signing';
import type { TenantRecord } from '../../core/tenancy/registry';

/** Long enough for one internal call; minted per call. */
const SERVICE_TOKEN_TTL_SECONDS = 60;

/**
 * `ctx` acting as this service for internal calls (callSubgraph) made with no user behind them
 * (an event, a job) or on behalf of the platform: a short-lived token of role `service`,
 * scoped to `tenant` when given so the callee resolves that tenant's database.
 */
export function asService(ctx: TenantContext, tenant: Pick<TenantRecord, '_id' | 'slug'> | null): TenantContext {
  const scope = tenant ? { tid: tenant._id.toHexString(), tsl: tenant.slug } : {};
  const token = signAccessToken({ sub: 'service:tenant', role: SERVICE_ROLE, ...scope }, ctx.config.security.jwtKeys, SERVICE_TOKEN_TTL_SECONDS);
  return { ...ctx, forward: { 'x-request-id': ctx.requestId, authorization: `Bearer ${token}` } };
}

/** Asks every other subgraph to create its collections in the new tenant's database (signed POST /internal/provision). */
export async function provisionPeers(ctx: TenantContext, tenantId: string): Promise<void> {
  const peers = Object.entries(ctx.config.subgraphUrls).filter(([name]) => name !== 'tenant');
  await Promise.all(
    peers.map(async ([name, url]) => {
      const payload = JSON.stringify({ tenantId });
      const res = await fetch(url!.replace(/\/graphql$/, '/internal/provision'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...ctx.forward, ...signingHeaders(ctx.config, payload) },
        body: payload,
        signal: AbortSignal.timeout(30_000),
      }).catch(() => null);
      if (!res?.ok) {
        ctx.log.error({ peer: name, status: res?.status }, 'tenant provisioning failed');
        throw new AppError('SERVICE_UNAVAILABLE', 'Provisioning did not complete; retry createTenant with the same input');
      }
    }),
  );
}
