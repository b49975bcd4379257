import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Per-key limits over one-minute windows; in memory for one gateway, in Redis
 * when several gateways share the load (so the limit holds across them).
 */
export function createKeyRateLimiter(redis?: Redis) {
  const limiters = new Map<number, RateLimiterAbstract>();
  const limiterFor = (points: number) => {
    let l = limiters.get(points);
    if (!l) {
      const opts = { points, duration: 60, keyPrefix: `partner-rl-${points}` };
      l = redis ? new RateLimiterRedis({ ...opts, storeClient: redis }) : new RateLimiterMemory(opts);
      limiters.set(points, l);
    }
    return l;
  };
  return async (keyId: string, perMinute: number): Promise<RateDecision> => {
    try {
      const r = await limiterFor(perMinute).consume(keyId);
      return { allowed: true, limit: perMinute, remaining: r.remainingPoints, resetSeconds: Math.ceil(r.msBeforeNext / 1000) };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return { allowed: false, limit: perMinute, remaining: 0, resetSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
    }
  };
}
