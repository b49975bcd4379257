import type { TenantContext } from './context';
import { AppError } from '../../core/errors';
import { signingHeaders } from '../../core/security/signing';

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
