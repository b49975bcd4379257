import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GatewayContext {
  requestId: string;
  /** Headers passed on to every subgraph fetch. */
  headers: Record<string, string>;
}

const FORWARDED = ['authorization', 'x-tenant'];

export function createGatewayContext(headers: IncomingHttpHeaders): GatewayContext {
  const incoming = typeof headers['x-request-id'] === 'string' ? headers['x-request-id'] : '';
  const requestId = /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
  const out: Record<string, string> = { 'x-request-id': requestId };
  for (const name of FORWARDED) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  const host = headers['x-forwarded-host'] ?? headers.host;
  if (typeof host === 'string') out['x-forwarded-host'] = host;
  return { requestId, headers: out };
}
