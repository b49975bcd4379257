import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { loadServiceEnv, type ServiceConfig } from '../../core/config';
import type { TenantContext } from './context';
import { AppError } from '../../core/errors';
import { makeLimiter } from '../../core/security/limiter';
import { tenantEnv } from './tenant.env';

/** Settings of the accounts flows (tenant service options, with env fallbacks; see README). */
export interface AccountsOptions {
  /** Lifetime of a password reset code (PASSWORD_RESET_TTL_SECONDS, default 900). */
  resetCodeTtlSeconds?: number;
  /** Guesses a reset code allows, right or wrong, before it is dead (default 5). */
  resetCodeAttempts?: number;
  /** Reset requests per account and per client IP in 15 minutes (defaults 3 and 10). */
  resetRequestsPerAccount?: number;
  resetRequestsPerIp?: number;
  /** Wrong TOTP or recovery codes per account in 15 minutes, from all IPs together (default 10). */
  secondFactorFailures?: number;
  /** The clock of codes and challenges (tests move it to expire a code). */
  now?: () => number;
}

export interface Accounts {
  resetCodeTtlSeconds: number;
  now(): number;
  /** Throws RATE_LIMITED when the account or the IP asked for too many codes. */
  allowResetRequest(accountKey: string, ip: string | undefined): Promise<void>;
  /** Spends one guess of a reset code; false once the code has had all of its guesses. */
  spendResetGuess(resetId: string): Promise<boolean>;
  /**
   * Wrong second-factor codes of one account from any IP (the login guard counts per
   * account and IP): throws RATE_LIMITED once the account had too many.
   */
  assertSecondFactorAllowed(accountKey: string): Promise<void>;
  secondFactorFailed(accountKey: string): Promise<void>;
  close(): Promise<void>;
}

const WINDOW = 15 * 60;
/** Hashed so neither emails nor addresses are stored in the limiters' keys (as the login guard does). */
const hashed = (key: string) => createHash('sha256').update(key).digest('hex');

export function createAccounts(config: ServiceConfig, opts: AccountsOptions = {}): Accounts {
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }) : undefined;
  const perAccount = makeLimiter('reset-account', opts.resetRequestsPerAccount ?? 3, WINDOW, redis);
  const perIp = makeLimiter('reset-ip', opts.resetRequestsPerIp ?? 10, WINDOW, redis);
  const ttl = opts.resetCodeTtlSeconds ?? loadServiceEnv(tenantEnv).PASSWORD_RESET_TTL_SECONDS;
  // A code lives at most `ttl`; its guess budget needs to outlive it only.
  const guesses = makeLimiter('reset-guess', opts.resetCodeAttempts ?? 5, Math.max(ttl, 60), redis);
  const secondFactorMax = opts.secondFactorFailures ?? 10;
  const secondFactor = makeLimiter('second-factor', secondFactorMax, WINDOW, redis);
  const consume = async (limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> => {
    try {
      await limiter.consume(key);
      return null;
    } catch (err) {
      if (err instanceof RateLimiterRes) return err;
      throw err;
    }
  };
  return {
    resetCodeTtlSeconds: ttl,
    now: opts.now ?? Date.now,
    async allowResetRequest(accountKey, ip) {
      // Spent whether or not the account exists: the answer never tells. The IP first, so a
      // request its IP may not make does not use up the account's budget as well.
      const refused = (ip ? await consume(perIp, hashed(ip)) : null) ?? (await consume(perAccount, hashed(accountKey)));
      if (refused) {
        const retryAfter = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `Too many reset requests; retry in ${Math.ceil(retryAfter / 60)} min`, { retryAfter });
      }
    },
    async spendResetGuess(resetId) {
      return (await consume(guesses, resetId)) === null;
    },
    async assertSecondFactorAllowed(accountKey) {
      const res = await secondFactor.get(hashed(accountKey)).catch(() => null);
      if (res && res.consumedPoints >= secondFactorMax) {
        const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
        throw new AppError('RATE_LIMITED', `Too many wrong codes for this account; retry in ${Math.ceil(retryAfter / 60)} min`, { retryAfter });
      }
    },
    async secondFactorFailed(accountKey) {
      await consume(secondFactor, hashed(accountKey));
    },
    async close() {
      redis?.disconnect();
    },
  };
}

export const accountsOf = (ctx: TenantContext): Accounts => ctx.services.accounts;
