import type { Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export type GraphQLMediaType = typeof GRAPHQL_RESPONSE_JSON | 'application/json';

/**
 * The response media type for an Accept header (GraphQL over HTTP): the
 * acceptable range with the highest q, then the most specific, then the first
 * listed; no header means application/json. null: nothing acceptable (406).
 */
export function responseMediaType(accept: string | null | undefined): GraphQLMediaType | null {
  if (!accept) return 'application/json';
  const ranges = accept.split(',').map((part, order) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const specificity = type === '*/*' ? 0 : type.endsWith('/*') ? 1 : 2;
    return { type, q: Number.isFinite(q) ? q : 0, specificity, order };
  });
  ranges.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order);
  for (const r of ranges) {
    if (r.q <= 0) break;
    if (r.type === GRAPHQL_RESPONSE_JSON) return GRAPHQL_RESPONSE_JSON;
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return 'application/json';
  }
  return null;
}

/**
 * HTTP status of a request error (parse, validation, limit, operation name,
 * variables: nothing ran). The spec wants 400 with application/graphql-response+json
 * and 200 with application/json, whose legacy clients read a body only on 2xx
 * and cannot tell a GraphQL error from an intermediary's 4xx.
 */
export const requestErrorStatus = (mediaType: GraphQLMediaType | null): number => (mediaType === GRAPHQL_RESPONSE_JSON ? 400 : 200);

/** A refusal before GraphQL runs (auth, rate limit), in the media type the client accepts. */
export function sendErrors(req: Request, res: Response, status: number, errors: GraphQLFormattedError[]): void {
  const type = responseMediaType(req.headers.accept) ?? 'application/json';
  res.status(status).type(`${type}; charset=utf-8`).send(JSON.stringify({ errors }));
}
