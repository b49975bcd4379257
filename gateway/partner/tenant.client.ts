import type { ServiceConfig } from '../../core/config';
import { signingHeaders } from '../../core/security/signing';

export interface TenantAnswer<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * The partner endpoint's calls to the tenant subgraph (owner of API keys and trusted
 * documents): signed like the gateway's requests, with the partner's short-lived
 * token when there is one. Throws on network failure or timeout (5 s).
 */
export async function askTenant<T>(config: ServiceConfig, query: string, variables: Record<string, unknown>, accessToken?: string): Promise<TenantAnswer<T>> {
  const payload = JSON.stringify({ query, variables });
  const res = await fetch(config.subgraphUrls.tenant!, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      ...signingHeaders(config, payload),
    },
    body: payload,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: (await res.json()) as TenantAnswer<T>['body'] };
}
