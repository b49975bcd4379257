import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyAccessToken, type AccessClaims, type JwtSecret } from '../core/auth/tokens';
import { parseBearer } from '../core/auth/bearer';

export interface GatewayContext {
  requestId: string;
  /** The caller's verified token, if any (the gateway only uses it to gate introspection). */
  auth: AccessClaims | null;
  /** Headers passed on to every subgraph fetch. */
  headers: Record<string, string>;
}

const FORWARDED = ['authorization', 'x-tenant', 'x-forwarded-for'];

/** The client's x-request-id when it is a safe token, else a new one. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const incoming = typeof headers['x-request-id'] === 'string' ? headers['x-request-id'] : '';
  return /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
}

export function createGatewayContext(headers: IncomingHttpHeaders, jwtSecret?: JwtSecret, remoteAddress?: string): GatewayContext {
  const requestId = requestIdOf(headers);
  const out: Record<string, string> = { 'x-request-id': requestId };
  for (const name of FORWARDED) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  // The client address as this gateway saw it, appended to any proxy chain (for the audit log).
  if (remoteAddress) out['x-forwarded-for'] = out['x-forwarded-for'] ? `${out['x-forwarded-for']}, ${remoteAddress}` : remoteAddress;
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (typeof host === 'string') out['x-forwarded-host'] = host;
  let auth: AccessClaims | null = null;
  const bearer = parseBearer(out.authorization);
  if (bearer && jwtSecret) {
    try {
      auth = verifyAccessToken(bearer, jwtSecret);
    } catch {
      auth = null; // subgraphs report the bad token with its code
    }
  }
  return { requestId, headers: out, auth };
}
