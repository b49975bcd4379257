import type http from 'node:http';
import { GraphQLError } from 'graphql';
import type { AccessClaims } from '../../core/auth/tokens';
import { ERROR_CATALOG } from '../../core/errors';
import type { RequestLimits } from '../use-rate-limit';

export interface WsLimitsOptions {
  /** The gateway's HTTP budgets (per IP, user, tenant): WebSocket operations spend the same ones. */
  rate: RequestLimits;
  maxPerConnection: number;
  maxPerUser: number;
  maxPerTenant: number;
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (TRUST_PROXY, as express). */
  trustProxy: number;
}

export type WsLimitScope = 'connection' | 'user' | 'tenant';

/**
 * The client address of a WebSocket upgrade, as express's `req.ip` computes it
 * with a numeric "trust proxy": `trustProxy` hops of X-Forwarded-For are believed.
 */
export function clientIp(req: http.IncomingMessage, trustProxy: number): string | undefined {
  const forwarded =
    typeof req.headers['x-forwarded-for'] === 'string'
      ? req.headers['x-forwarded-for']
          .split(',')
          .map((a) => a.trim())
          .filter(Boolean)
      : [];
  const chain = [req.socket.remoteAddress, ...forwarded.reverse()];
  return chain[Math.min(trustProxy, chain.length - 1)];
}

const userKey = (auth: AccessClaims) => `${auth.tid ?? 'platform'}:${auth.sub}`;

/**
 * Limits on graphql-ws traffic: a rate budget per operation (shared with HTTP)
 * and caps on open subscriptions per connection, user and tenant (counted by this
 * gateway instance). A subscription holds its slot from `reserve` until the
 * release function runs (its stream closed, or it never started).
 */
export function useWsLimits(opts: WsLimitsOptions) {
  const perConnection = new WeakMap<object, number>();
  const perUser = new Map<string, number>();
  const perTenant = new Map<string, number>();
  const bump = <K>(m: { get(k: K): number | undefined; set(k: K, v: number): unknown; delete(k: K): unknown }, k: K, by: number) => {
    const n = (m.get(k) ?? 0) + by;
    if (n > 0) m.set(k, n);
    else m.delete(k);
  };

  return {
    /** One operation (subscribe, query, mutation or connection_init) against the rate budgets. */
    async rate(ip: string | undefined, auth: AccessClaims | null): Promise<GraphQLError | null> {
      const refused = await opts.rate.consume(ip, auth);
      if (!refused) return null;
      return new GraphQLError(`Too many requests; retry in ${refused.retryAfter} s`, {
        extensions: { code: 'RATE_LIMITED', errorCode: ERROR_CATALOG.RATE_LIMITED, retryAfter: refused.retryAfter, scope: refused.scope },
      });
    },

    /** Takes a subscription slot for this connection, or says which cap it would exceed. */
    reserve(connection: object, auth: AccessClaims, tenantId: string): GraphQLError | (() => void) {
      const counts: [WsLimitScope, number, number][] = [
        ['connection', perConnection.get(connection) ?? 0, opts.maxPerConnection],
        ['user', perUser.get(userKey(auth)) ?? 0, opts.maxPerUser],
        ['tenant', perTenant.get(tenantId) ?? 0, opts.maxPerTenant],
      ];
      const over = counts.find(([, n, max]) => n >= max);
      if (over) {
        const [scope, , max] = over;
        return new GraphQLError(`Too many open subscriptions: at most ${max} per ${scope}`, {
          extensions: { code: 'LIMIT_EXCEEDED', errorCode: ERROR_CATALOG.LIMIT_EXCEEDED, scope, max },
        });
      }
      const change = (by: number) => {
        bump(perConnection, connection, by);
        bump(perUser, userKey(auth), by);
        bump(perTenant, tenantId, by);
      };
      change(1);
      let released = false;
      return () => {
        if (!released) change(-1);
        released = true;
      };
    },

    /** Open subscription slots (tests: back to zero when every socket is gone). */
    counts: () => ({ users: [...perUser.values()].reduce((a, b) => a + b, 0), tenants: [...perTenant.values()].reduce((a, b) => a + b, 0) }),
  };
}
