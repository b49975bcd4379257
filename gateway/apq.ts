import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { ApolloServerPlugin } from '@apollo/server';
import type Redis from 'ioredis';
import type { PersistedQueriesConfig } from '../core/config';
import type { Logger } from '../core/logger';

/** The cache Apollo Server's `persistedQueries` option takes. */
export type QueryCache = KeyValueCache<string>;

/** Apollo Server prefixes its keys with `apq:` and a 64-hex hash; anything else is a client's junk. */
const KEY = /^apq:[a-f0-9]{64}$/;

/**
 * APQ in Redis, so a query registered through one gateway instance is found
 * through every other. Errors are misses: with Redis down a client gets
 * PERSISTED_QUERY_NOT_FOUND, resends the full query and is served — never a 500.
 */
export class RedisQueryCache implements QueryCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
    private readonly log: Logger,
    /** A read slower than this is a miss: ioredis queues commands while reconnecting, and a request must not wait for that. */
    private readonly readTimeoutMs = 250,
  ) {}

  async get(key: string): Promise<string | undefined> {
    if (typeof key !== 'string' || !KEY.test(key)) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<'slow'>((resolve) => (timer = setTimeout(() => resolve('slow'), this.readTimeoutMs)));
    try {
      const value = await Promise.race([this.redis.get(this.prefix + key), slow]);
      if (value === 'slow') throw new Error(`no answer within ${this.readTimeoutMs} ms`);
      return value ?? undefined;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'persisted query cache unavailable (read)');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    try {
      await this.redis.set(this.prefix + key, value, 'EX', options?.ttl ?? this.ttlSeconds);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'persisted query cache unavailable (write)');
    }
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key).catch(() => 0)) > 0;
  }
}

/**
 * One gateway's APQ cache without Redis: Apollo's LRU (lru-cache), bounded by the
 * characters held (anyone may register a valid query, so it must not grow without
 * bound); least recently used entries go first, entries expire after the TTL.
 */
export class MemoryQueryCache extends InMemoryLRUCache<string> {
  constructor(maxBytes: number, ttlSeconds: number) {
    super({ maxSize: maxBytes, sizeCalculation: (value) => Math.max(1, value.length), ttl: ttlSeconds * 1000 });
  }

  /** Entries held (tests). */
  size(): number {
    return this.keys().length;
  }
}

/** Apollo Server's APQ refusals (HTTP 400) that come without a code of their own. */
const APQ_REFUSALS = new Set(['provided sha does not match query', 'Unsupported persisted query version']);

/**
 * Gives those refusals the code they deserve, BAD_USER_INPUT, so they are reported
 * and logged as the client's mistake, not as unexpected errors. Must come first among
 * the plugins: the request-id plugin logs uncoded errors in its own hook.
 */
export function apqErrorCodes<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const err of errors) {
            if (!err.extensions?.code && APQ_REFUSALS.has(err.message)) (err.extensions as Record<string, unknown>).code = 'BAD_USER_INPUT';
          }
        },
      };
    },
  };
}

/** Apollo Server's `persistedQueries` option: false when APQ=off, else Redis- or memory-backed. */
export function persistedQueries(config: PersistedQueriesConfig, redis: Redis | undefined, log: Logger) {
  if (!config.enabled) return false as const;
  const cache = redis ? new RedisQueryCache(redis, config.redisPrefix, config.ttlSeconds, log) : new MemoryQueryCache(config.memoryMaxBytes, config.ttlSeconds);
  return { cache, ttl: config.ttlSeconds };
}
