import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { ServiceConfig } from '../config';
import type { RequestContext } from '../context';
import { AppError } from '../errors';
import { makeLimiter } from './limiter';

/**
 * Login lockout per account + client IP: after `loginMaxFailures` failed
 * logins within the lockout window, that pair is refused for
 * `loginLockoutMinutes`, whether or not the tenant or the user exists (the
 * answer never tells which). Shared through Redis when REDIS_URL is set.
 */
export interface LoginGuard {
  /** Throws RATE_LIMITED (with retryAfter) while the pair is locked out. */
  assertAllowed(key: string): Promise<void>;
  failed(key: string): Promise<void>;
  succeeded(key: string): Promise<void>;
  close(): Promise<void>;
}

/** Hashed so neither emails nor addresses are stored in the limiter's keys. */
export function loginKey(tenant: string | undefined, email: string, ip: string | undefined): string {
  return createHash('sha256')
    .update(`${tenant ?? ''}\n${email.trim().toLowerCase()}\n${ip ?? ''}`)
    .digest('hex');
}

export function createLoginGuard(config: ServiceConfig): LoginGuard {
  const { loginMaxFailures: max, loginLockoutMinutes: minutes } = config.security;
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : undefined;
  // One point per failure; the max+1-th failure blocks the pair for the lockout.
  const limiter = makeLimiter('login', max, minutes * 60, redis, minutes * 60);
  const locked = (retryAfter: number) => new AppError('RATE_LIMITED', `Too many failed logins; retry in ${Math.ceil(retryAfter / 60)} min`, { retryAfter });
  return {
    async assertAllowed(key) {
      const res = await limiter.get(key).catch(() => null);
      if (res && res.consumedPoints >= max) throw locked(Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
    },
    async failed(key) {
      const res = await limiter.consume(key).catch((e: unknown) => (e instanceof RateLimiterRes ? e : null));
      // The lockout runs its full length from the failure that reached the limit.
      if (res && res.consumedPoints >= max) await limiter.block(key, minutes * 60).catch(() => undefined);
    },
    async succeeded(key) {
      await limiter.delete(key).catch(() => undefined);
    },
    async close() {
      redis?.disconnect();
    },
  };
}

/** The last x-forwarded-for hop: the address the gateway itself saw (a client cannot forge it). */
export const gatewaySeenIp = (ctx: RequestContext): string | undefined => ctx.clientIp?.split(',').pop()?.trim();

/**
 * Runs a login attempt under the guard. Every credential failure counts (unknown
 * tenant, unknown user, wrong password, inactive account, wrong second factor, and
 * errors marked `loginFailure`), success resets the count — unless `finished`
 * says the login still waits for its second factor: a right password must not
 * wipe the wrong TOTP codes counted against the same account.
 */
export async function guardLogin<T>(
  ctx: RequestContext,
  tenant: string | undefined,
  email: string,
  attempt: () => Promise<T>,
  finished: (result: T) => boolean = () => true,
): Promise<T> {
  const guard = ctx.services.loginGuard as LoginGuard | undefined;
  if (!guard) return attempt();
  const key = loginKey(tenant ?? ctx.requestedTenant.slug ?? ctx.requestedTenant.host, email, gatewaySeenIp(ctx));
  await guard.assertAllowed(key);
  try {
    const result = await attempt();
    if (finished(result)) await guard.succeeded(key);
    return result;
  } catch (err) {
    const ext = (err as AppError).extensions;
    if (ext?.code === 'UNAUTHENTICATED' || ext?.code === 'NOT_FOUND' || ext?.loginFailure === true) await guard.failed(key);
    throw err;
  }
}
