import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/**
 * A per-key limiter over `windowSeconds`: in Redis when given (the limit then
 * holds across instances; an in-memory insurance limiter takes over while
 * Redis is unreachable), otherwise in this process. Used by the gateway's
 * request budgets (gateway/use-rate-limit.ts), the login guard and the tenant
 * subgraph's account limits.
 */
export function makeLimiter(scope: string, points: number, windowSeconds: number, redis?: Redis, blockSeconds = 0): RateLimiterAbstract {
  const opts = { keyPrefix: `rl:${scope}`, points, duration: windowSeconds, blockDuration: blockSeconds };
  return redis ? new RateLimiterRedis({ ...opts, storeClient: redis, insuranceLimiter: new RateLimiterMemory(opts) }) : new RateLimiterMemory(opts);
}
