import type { SubgraphName } from './config';
import type { RequestContext } from './context';
import { AppError, ERROR_CATALOG, type ErrorCode } from './errors';
import { signingHeaders } from './security/signing';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * An explicit internal API call to another subgraph, on behalf of the caller:
 * the caller's own token is forwarded, so the callee checks identity,
 * tenant and permissions itself (nothing is trusted from this service).
 */
export async function callSubgraph<T>(ctx: RequestContext, target: SubgraphName, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const url = ctx.config.subgraphUrls[target];
  if (!url) throw new Error(`No URL configured for subgraph ${target}`);
  let body: GraphQLResponse<T>;
  try {
    const payload = JSON.stringify({ query, variables });
    const res = await fetch(url, {
      method: 'POST',
      // Signed like the gateway's requests (core/security/signing.ts) when signing is configured.
      headers: { 'content-type': 'application/json', ...ctx.forward, ...signingHeaders(ctx.config, payload) },
      body: payload,
      signal: AbortSignal.timeout(10_000),
    });
    body = (await res.json()) as GraphQLResponse<T>;
  } catch (err) {
    ctx.log.error({ err, target }, 'internal call failed');
    throw new AppError('SERVICE_UNAVAILABLE', 'A dependent service is unavailable, try again');
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    // Business errors of the callee (e.g. INSUFFICIENT_BALANCE) are the caller's answer too.
    if (code && code in ERROR_CATALOG && code !== 'INTERNAL') throw new AppError(code as ErrorCode, first.message);
    ctx.log.error({ target, code }, 'internal call returned an error');
    throw new AppError('SERVICE_UNAVAILABLE', 'A dependent service failed, try again');
  }
  return body.data as T;
}

/** Resolves entity references in another subgraph through its `_entities` field. */
export async function fetchEntities<T>(ctx: RequestContext, target: SubgraphName, typename: string, ids: string[], selection: string): Promise<(T | null)[]> {
  const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`;
  const data = await callSubgraph<{ _entities: (T | null)[] }>(ctx, target, query, {
    r: ids.map((id) => ({ __typename: typename, id })),
  });
  return data._entities;
}
