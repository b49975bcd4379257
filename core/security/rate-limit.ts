import type { NextFunction, Request, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { verifyAccessToken, type AccessClaims } from '../auth/tokens';
import type { ServiceConfig } from '../config';
import { ERROR_CATALOG } from '../errors';
import type { Logger } from '../logger';

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

/**
 * Gateway middleware: requests per minute per client IP, per user and per
 * tenant (identity from a verified token only, so a forged token cannot
 * spend someone else's budget). Refusals are 429 + Retry-After + RATE_LIMITED.
 */
export function rateLimitMiddleware(config: ServiceConfig, log: Logger, onReject: (scope: RateScope) => void, redis?: Redis) {
  const s = config.security;
  const limits: [RateScope, RateLimiterAbstract | undefined, (req: Request, auth: AccessClaims | null) => string | undefined][] = [
    ['ip', s.rateLimitIp ? makeLimiter('ip', s.rateLimitIp, 60, redis) : undefined, (req) => req.ip ?? req.socket.remoteAddress],
    ['user', s.rateLimitUser ? makeLimiter('user', s.rateLimitUser, 60, redis) : undefined, (_req, a) => (a ? `${a.tid ?? 'platform'}:${a.sub}` : undefined)],
    ['tenant', s.rateLimitTenant ? makeLimiter('tenant', s.rateLimitTenant, 60, redis) : undefined, (_req, a) => a?.tid],
  ];
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.method === 'OPTIONS') return next();
    const auth = verifiedClaims(req, config);
    for (const [scope, limiter, keyOf] of limits) {
      const key = limiter && keyOf(req, auth);
      if (!limiter || !key) continue;
      try {
        await limiter.consume(key);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) {
          log.warn({ err, scope }, 'rate limiter unavailable; request allowed');
          continue;
        }
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        onReject(scope);
        log.warn({ scope, ip: req.ip, user: auth?.sub, tenant: auth?.tsl }, 'rate limited');
        res.status(429).set('Retry-After', String(retryAfter)).json(rateLimitedBody(retryAfter));
        return;
      }
    }
    next();
  };
}

function verifiedClaims(req: Request, config: ServiceConfig): AccessClaims | null {
  const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!bearer) return null;
  try {
    return verifyAccessToken(bearer, config.security.jwtKeys);
  } catch {
    return null;
  }
}
