import type { ApolloServer } from '@apollo/server';
import { verifyAccessToken, type AccessClaims, type JwtSecret } from '../../core/auth/tokens';
import type { AppError } from '../../core/errors';
import { createGatewayContext, type GatewayContext } from '../context';
import type { EventStream } from './event-stream';
import { parseBearer } from '../../core/auth/bearer';

/** WebSocket close codes sent to clients (4400-4499: the client's fault, as graphql-ws does). */
export const CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  /** connection_init over the rate budget (the code graphql-ws uses for too many inits). */
  rateLimited: 4429,
} as const;

export interface ConnectionState {
  auth: AccessClaims;
  tenantId: string;
  /** Headers every payload fetch carries: the subscriber's own credentials. */
  headers: Record<string, string>;
  streams: Set<EventStream<unknown>>;
  expiry?: NodeJS.Timeout;
  /** Client address (TRUST_PROXY hops of X-Forwarded-For), for the per-IP rate budget. */
  ip?: string;
  /** Set when the socket has closed (a subscription still starting must end at once). */
  closed?: boolean;
  /** The tenant's effective modules, read when first needed; cleared when the tenant changes. */
  modules?: Promise<Record<string, boolean>>;
}

export class ConnectionRefused extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * connection_init: the same access token as HTTP (`authorization: "Bearer …"`
 * or `token`), verified here, and the tenant checked through the tenant
 * subgraph (unknown or suspended → refused).
 */
export async function authenticate(
  params: Record<string, unknown> | undefined,
  secret: JwtSecret,
  apollo: ApolloServer<GatewayContext>,
): Promise<Pick<ConnectionState, 'auth' | 'tenantId' | 'headers'>> {
  const raw = typeof params?.authorization === 'string' ? params.authorization : typeof params?.token === 'string' ? `Bearer ${params.token}` : '';
  const token = parseBearer(raw);
  if (!token) throw new ConnectionRefused(CLOSE.unauthorized, 'Missing access token');
  let auth: AccessClaims;
  try {
    auth = verifyAccessToken(token, secret);
  } catch (err) {
    throw new ConnectionRefused(CLOSE.unauthorized, (err as AppError).message);
  }
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (typeof params?.['x-tenant'] === 'string') headers['x-tenant'] = params['x-tenant'];
  const res = await apollo.executeOperation({ query: '{ tenant { id } }' }, { contextValue: createGatewayContext(headers) });
  const single = res.body.kind === 'single' ? res.body.singleResult : undefined;
  const code = single?.errors?.[0]?.extensions?.code;
  if (code === 'TENANT_SUSPENDED') throw new ConnectionRefused(CLOSE.forbidden, 'Tenant suspended');
  if (code === 'UNAUTHENTICATED') throw new ConnectionRefused(CLOSE.unauthorized, 'Invalid access token');
  if (code === 'BAD_USER_INPUT') throw new ConnectionRefused(CLOSE.badRequest, 'Platform users must send x-tenant');
  const tenantId = (single?.data as { tenant?: { id: string } } | undefined)?.tenant?.id;
  if (!tenantId) throw new ConnectionRefused(CLOSE.forbidden, 'Tenant not available');
  return { auth, tenantId, headers };
}
