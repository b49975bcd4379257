import type { ServiceConfig } from '../../core/config';
import { signAccessToken } from '../../core/auth/tokens';
import { SERVICE_ROLE } from '../../core/permissions/catalog';
import { signingHeaders } from '../../core/security/signing';
import { RefusedBatch, type ApiUsageEntry } from '../use-api-usage';

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

const RECORD = 'mutation($i: RecordApiUsageInput!) { recordApiUsage(input: $i) }';
/** The gateway's own short-lived service token: recordApiUsage accepts no other caller. */
const SERVICE_TOKEN_TTL_SECONDS = 60;

/** Sends answered partner requests to the tenant subgraph's usage log; throws unless all were taken. */
export async function recordApiUsage(config: ServiceConfig, entries: ApiUsageEntry[]): Promise<void> {
  const token = signAccessToken({ sub: 'service:gateway', role: SERVICE_ROLE }, config.security.jwtKeys, SERVICE_TOKEN_TTL_SECONDS);
  const { status, body } = await askTenant<{ recordApiUsage: number }>(config, RECORD, { i: { entries } }, token);
  const code = body.errors?.[0]?.extensions?.code;
  if (code === 'BAD_USER_INPUT') throw new RefusedBatch(`recordApiUsage refused the batch: ${body.errors?.[0]?.message ?? ''}`);
  if (status !== 200 || body.errors?.length) throw new Error(`recordApiUsage failed: ${status} ${code ?? ''}`.trim());
}
