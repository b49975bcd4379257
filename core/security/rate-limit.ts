import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { verifyAccessToken, type AccessClaims } from '../auth/tokens';
import type { ServiceConfig } from '../config';
import { ERROR_CATALOG } from '../errors';
import type { Logger } from '../logger';
import { parseBearer } from '../auth/bearer';

export type RateScope = 'ip' | 'user' | 'tenant' | 'login';

/**
 * A per-key limiter over `windowSeconds`: in Redis when given (the limit then
 * holds across gateway instances; an in-memory insurance limiter takes over
 * while Redis is unreachable), otherwise in this process.
 */
export function makeLimiter(scope: string, points: number, windowSeconds: number, redis?: Redis, blockSeconds = 0): RateLimiterAbstract {
  const opts = { keyPrefix: `rl:${scope}`, points, duration: windowSeconds, blockDuration: blockSeconds };
  return redis
    ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) })
    : new RateLimiterMemory(opts);
}

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

export function requestLimits(config: ServiceConfig, log: Logger, onReject: (scope: RateScope) => void, redis?: Redis): RequestLimits {
  const s = config.security;
  const limits: [RateScope, RateLimiterAbstract | undefined, (ip: string | undefined, auth: AccessClaims | null) => string | undefined][] = [
    ['ip', s.rateLimitIp ? makeLimiter('ip', s.rateLimitIp, 60, redis) : undefined, (ip) => ip],
    ['user', s.rateLimitUser ? makeLimiter('user', s.rateLimitUser, 60, redis) : undefined, (_ip, a) => (a ? `${a.tid ?? 'platform'}:${a.sub}` : undefined)],
    ['tenant', s.rateLimitTenant ? makeLimiter('tenant', s.rateLimitTenant, 60, redis) : undefined, (_ip, a) => a?.tid],
  ];
  return {
    async consume(ip, auth) {
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
          onReject(scope);
          log.warn({ scope, ip, user: auth?.sub, tenant: auth?.tsl }, 'rate limited');
          return { scope, retryAfter: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
        }
      }
      return null;
    },
  };
}

/** Gateway middleware over `requestLimits`: refusals are 429 + Retry-After + RATE_LIMITED. */
export function rateLimitMiddleware(limits: RequestLimits, config: ServiceConfig) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method === 'OPTIONS') return next();
    const refused = await limits.consume(req.ip ?? req.socket.remoteAddress, verifiedClaims(req, config));
    if (!refused) return next();
    res.status(429).set('Retry-After', String(refused.retryAfter)).json(rateLimitedBody(refused.retryAfter));
  };
}

function verifiedClaims(req: Request, config: ServiceConfig): AccessClaims | null {
  const bearer = parseBearer(req.headers.authorization);
  if (!bearer) return null;
  try {
    return verifyAccessToken(bearer, config.security.jwtKeys);
  } catch {
    return null;
  }
}
