import type { Request, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';

export const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json';
export type GraphQLMediaType = typeof GRAPHQL_RESPONSE_JSON | 'application/json';

/** The Accept range that wins (highest q, then most specific, then first listed), or null if none is acceptable. */
function winningRange(accept: string): { type: string; media: GraphQLMediaType } | null {
  const ranges = accept.split(',').map((part, order) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
    const specificity = type === '*/*' ? 0 : type.endsWith('/*') ? 1 : 2;
    return { type, q: Number.isFinite(q) ? q : 0, specificity, order };
  });
  ranges.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.order - b.order);
  for (const r of ranges) {
    if (r.q <= 0) break;
    if (r.type === GRAPHQL_RESPONSE_JSON) return { type: r.type, media: GRAPHQL_RESPONSE_JSON };
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return { type: r.type, media: 'application/json' };
  }
  return null;
}

/**
 * The response media type for an Accept header (GraphQL over HTTP): no header,
 * a wildcard or application/json give application/json (the audit's 80D8 and
 * 47DE). null: nothing acceptable (406).
 */
export function responseMediaType(accept: string | null | undefined): GraphQLMediaType | null {
  return accept ? (winningRange(accept)?.media ?? null) : 'application/json';
}

/**
 * HTTP status of a request error (parse, validation, limit, operation name,
 * variables: nothing ran). 200 only for a client that names application/json
 * as its choice: the spec keeps 200 for those legacy clients, which read a body
 * only on 2xx. Everyone else gets 400: application/graphql-response+json asks
 * for it, and since the spec's 2025 watershed a request without Accept is
 * treated as asking for it too; wildcards (curl, fetch) get the same, so a
 * malformed request never looks like a success.
 */
export function requestErrorStatus(accept: string | null | undefined): number {
  return accept && winningRange(accept)?.type === 'application/json' ? 200 : 400;
}

/** A refusal before GraphQL runs (auth, rate limit), in the media type the client accepts. */
export function sendErrors(req: Request, res: Response, status: number, errors: GraphQLFormattedError[]): void {
  const type = responseMediaType(req.headers.accept) ?? 'application/json';
  res.status(status).type(`${type}; charset=utf-8`).send(JSON.stringify({ errors }));
}
