import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { verifyAccessToken, type AccessClaims, type JwtSecret } from '../core/auth/tokens';
import { parseBearer } from '../core/auth/bearer';
import { ERROR_CATALOG } from '../core/errors';
import type { Logger } from '../core/logger';
import { makeLimiter } from '../core/security/limiter';

export type RateScope = 'ip' | 'user' | 'tenant' | 'login';

/** The GraphQL-shaped 429 body; `retryAfter` (seconds) mirrors the Retry-After header. */
export function rateLimitedBody(retryAfter: number, message = `Too many requests; retry in ${retryAfter} s`) {
  return { errors: [{ message, extensions: { code: 'RATE_LIMITED', errorCode: ERROR_CATALOG.RATE_LIMITED, retryAfter } }] };
}

/** Which budget ran out, and when to retry (seconds). */
export interface RateRefusal {
  scope: RateScope;
  retryAfter: number;
}

/**
 * Operations per minute per client IP, per user and per tenant (identity from a
 * verified token only, so a forged token cannot spend someone else's budget).
 * One instance serves HTTP (/graphql) and WebSocket operations alike: they spend
 * the same budgets.
 */
export interface RequestLimits {
  /** Spends one point of each budget; the first exhausted budget refuses. */
  consume(ip: string | undefined, auth: AccessClaims | null): Promise<RateRefusal | null>;
}

export interface RateLimitOptions {
  /** Operations per minute per client IP / user / tenant; 0 = that budget is off (RATE_LIMIT_IP, _USER, _TENANT). */
  perIp: number;
  perUser: number;
  perTenant: number;
  /** The key ring that verifies bearer tokens (identity for the user and tenant budgets). */
  jwtKeys: JwtSecret;
  log: Logger;
  /** Called once per refusal, with the budget that ran out (metrics). */
  onReject?: (scope: RateScope) => void;
  /** Shared budgets across gateway instances; in this process without it. */
  redis?: Redis;
}

export interface RateLimit extends RequestLimits {
  /** Middleware for /graphql, before the body is parsed: refusals are 429 + Retry-After + RATE_LIMITED. */
  middleware: RequestHandler;
}

/** The gateway's per-IP, per-user and per-tenant request budgets (HTTP middleware + `consume` for graphql-ws). */
export function useRateLimit(options: RateLimitOptions): RateLimit {
  const { log, onReject, redis } = options;
  const limits: [RateScope, RateLimiterAbstract | undefined, (ip: string | undefined, auth: AccessClaims | null) => string | undefined][] = [
    ['ip', options.perIp ? makeLimiter('ip', options.perIp, 60, redis) : undefined, (ip) => ip],
    ['user', options.perUser ? makeLimiter('user', options.perUser, 60, redis) : undefined, (_ip, a) => (a ? `${a.tid ?? 'platform'}:${a.sub}` : undefined)],
    ['tenant', options.perTenant ? makeLimiter('tenant', options.perTenant, 60, redis) : undefined, (_ip, a) => a?.tid],
  ];
  const consume: RequestLimits['consume'] = async (ip, auth) => {
    for (const [scope, limiter, keyOf] of limits) {
      const key = limiter && keyOf(ip, auth);
      if (!limiter || !key) continue;
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) {
          log.warn({ err, scope }, 'rate limiter unavailable; request allowed');
          continue;
        }
        onReject?.(scope);
        log.warn({ scope, ip, user: auth?.sub, tenant: auth?.tsl }, 'rate limited');
        return { scope, retryAfter: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      }
    }
    return null;
  };
  const middleware = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method === 'OPTIONS') return next();
    const refused = await consume(req.ip ?? req.socket.remoteAddress, verifiedClaims(req, options.jwtKeys));
    if (!refused) return next();
    res.status(429).set('Retry-After', String(refused.retryAfter)).json(rateLimitedBody(refused.retryAfter));
  };
  return { consume, middleware };
}

function verifiedClaims(req: Request, jwtKeys: JwtSecret): AccessClaims | null {
  const bearer = parseBearer(req.headers.authorization);
  if (!bearer) return null;
  try {
    return verifyAccessToken(bearer, jwtKeys);
  } catch {
    return null;
  }
}
