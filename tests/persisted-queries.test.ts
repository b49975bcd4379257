import { createHash } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import Redis from 'ioredis';
import { createServer as createGateway, type GatewayService } from '../gateway';
import { MemoryQueryCache, RedisQueryCache } from '../gateway/apq';
import { createLogger } from '../core/logger';
import { testSupergraph } from './helpers/supergraph';
import { ensureRedis } from './helpers/redis';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Automatic persisted queries on /graphql, driven by Apollo Client 4's own
 * persisted-query link (unchanged) against the running gateway, with the APQ
 * cache in Redis; a second gateway instance on the same subgraphs and Redis
 * finds what the first registered, one without Redis does not.
 */
let sys: System;
let t: TestTenant;
let staffToken: string;
let redis: Awaited<ReturnType<typeof ensureRedis>>;
const extra: GatewayService[] = [];
/** Replicas on the same subgraphs: with the same Redis, without Redis, and with APQ off. */
let other: GatewayService;
let alone: GatewayService;
let off: GatewayService;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

interface Sent {
  method: string;
  url: URL;
  body?: { query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } };
}

/** An Apollo Client with the persisted-query link whose fetch records every request it sends. */
function apolloClient(uri: string, token: string, opts: { useGETForHashedQueries?: boolean } = {}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    sent.push({ method: init?.method ?? 'GET', url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return fetch(input, init);
  };
  const link = new PersistedQueryLink({ sha256, useGETForHashedQueries: opts.useGETForHashedQueries ?? false }).concat(
    new HttpLink({ uri, fetch: recordingFetch, headers: { authorization: `Bearer ${token}` } }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
    body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] },
  };
}

const hashOnly = (hash: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });

beforeAll(async () => {
  redis = await ensureRedis();
  sys = await startSystem({ REDIS_URL: redis.url, APQ_REDIS_PREFIX: `test:${Date.now()}:apq:` });
  // Started before any request: composing blocks the event loop for seconds, which would
  // let kept-alive client sockets go stale under a test's feet.
  const supergraphSdl = await testSupergraph();
  other = await secondGateway(supergraphSdl, { redisUrl: redis.url });
  alone = await secondGateway(supergraphSdl, { redisUrl: undefined });
  off = await secondGateway(supergraphSdl, { redisUrl: redis.url, apq: false });
  t = await sys.createTenant('apq-lib');
  staffToken = await sys.userToken(t, 'staff');
});
afterAll(async () => {
  for (const g of extra) await g.stop();
  await sys?.stop();
  await redis?.stop();
});

/** A further gateway instance on the same subgraphs (like a second replica behind a load balancer). */
async function secondGateway(supergraphSdl: string, env: { redisUrl?: string; apq?: boolean }) {
  const persistedQueries = { ...sys.config.persistedQueries, enabled: env.apq ?? true };
  const g = await createGateway(
    { ...sys.config, redisUrl: env.redisUrl, persistedQueries, subgraphUrls: sys.subgraphUrls },
    { supergraphSdl, pubsub: sys.pubsub },
  );
  extra.push(g);
  return g;
}

describe('automatic persisted queries (Apollo Client persisted-query link)', () => {
  const TENANT = gql`
    query ApqTenant {
      tenant {
        id
        slug
      }
    }
  `;

  it('sends the hash only, gets PERSISTED_QUERY_NOT_FOUND, retries with the query; the next time the hash alone is served', async () => {
    const { client, sent } = apolloClient(sys.gatewayUrl, t.ownerToken);
    const first = await client.query({ query: TENANT, fetchPolicy: 'network-only' });
    expect(first.data).toEqual({ tenant: { __typename: 'Tenant', id: t.id, slug: 'apq-lib' } });
    expect(sent).toHaveLength(2);
    const hash = sent[0].body!.extensions!.persistedQuery!.sha256Hash;
    expect(hash).toMatch(/^[a-f0-9]{64}$/);
    expect(sent[0].body!.query).toBeUndefined();
    expect(sent[1].body!.query).toContain('ApqTenant');
    expect(sha256(sent[1].body!.query!)).toBe(hash);

    const second = await client.query({ query: TENANT, fetchPolicy: 'network-only' });
    expect(second.data).toEqual(first.data);
    expect(sent).toHaveLength(3);
    expect(sent[2].body!.query).toBeUndefined();
    expect(sent[2].body!.extensions!.persistedQuery!.sha256Hash).toBe(hash);
  });

  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND (HTTP 200, not cached), the code Apollo Client retries on', async () => {
    const res = await post(sys.gatewayUrl, hashOnly(sha256('query Never { tenant { id } }')), t.ownerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-cache');
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'PersistedQueryNotFound',
        extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND', errorCode: 2004 }),
      }),
    ]);
  });

  it('refuses a hash that does not match the query, and registers nothing', async () => {
    const query = 'query Mismatch { tenant { id } }';
    const wrong = sha256('query Other { tenant { id } }');
    const res = await post(sys.gatewayUrl, { query, ...hashOnly(wrong) }, t.ownerToken);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_USER_INPUT' } });
    expect(res.body.data).toBeUndefined();
    // Neither the claimed hash nor the real one was stored.
    for (const h of [wrong, sha256(query)]) {
      expect((await post(sys.gatewayUrl, hashOnly(h), t.ownerToken)).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('does not register an invalid document', async () => {
    const query = 'query Invalid { tenant { noSuchField } }';
    const res = await post(sys.gatewayUrl, { query, ...hashOnly(sha256(query)) }, t.ownerToken);
    expect(res.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await post(sys.gatewayUrl, hashOnly(sha256(query)), t.ownerToken)).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('applies permissions to persisted queries: staff cannot read an owner-only field by hash', async () => {
    const query = 'query Keys { apiKeys { id name } }';
    const hash = sha256(query);
    // The owner registers it (and may read it) ...
    const owner = await post(sys.gatewayUrl, { query, ...hashOnly(hash) }, t.ownerToken);
    expect(owner.body).toEqual({ data: { apiKeys: [] } });
    expect((await post(sys.gatewayUrl, hashOnly(hash), t.ownerToken)).body).toEqual({ data: { apiKeys: [] } });
    // ... staff sending only the hash is refused like with the full document.
    const staff = await post(sys.gatewayUrl, hashOnly(hash), staffToken);
    expect(staff.body.data?.apiKeys ?? null).toBeNull();
    expect(staff.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // And through Apollo Client's link too (the link gets the error, no data).
    const { client } = apolloClient(sys.gatewayUrl, staffToken);
    await expect(client.query({ query: gql(query), fetchPolicy: 'network-only' })).rejects.toThrow(/permission/i);
  });

  it('serves hashed queries over GET (useGETForHashedQueries), the CSRF guard still on', async () => {
    const { client, sent } = apolloClient(sys.gatewayUrl, t.ownerToken, { useGETForHashedQueries: true });
    const query = gql`
      query ApqGet {
        tenant {
          slug
        }
      }
    `;
    const first = await client.query({ query, fetchPolicy: 'network-only' });
    expect(first.data).toEqual({ tenant: { __typename: 'Tenant', slug: 'apq-lib' } });
    // GET hash -> not found -> POST with the full query (the link never sends a full query by GET).
    expect(sent.map((s) => s.method)).toEqual(['GET', 'POST']);
    await client.query({ query, fetchPolicy: 'network-only' });
    expect(sent.map((s) => s.method)).toEqual(['GET', 'POST', 'GET']);
    const get = sent[2].url;
    expect(get.searchParams.get('query')).toBeNull();
    expect(JSON.parse(get.searchParams.get('extensions')!)).toMatchObject({ persistedQuery: { version: 1 } });

    // A browser's "simple" cross-site GET (no content-type, no preflight header) is refused by CSRF prevention.
    const simple = await fetch(get, { headers: { authorization: `Bearer ${t.ownerToken}` } });
    expect(simple.status).toBe(400);
  });

  it('never runs a mutation over GET, not even a persisted one', async () => {
    const mutation = 'mutation Lib { createLibrary(input: { name: "By GET", capacity: 3 }) { id } }';
    const hash = sha256(mutation);
    // Registered by a legitimate POST (which creates one library) ...
    expect((await post(sys.gatewayUrl, { query: mutation, ...hashOnly(hash) }, t.ownerToken)).body.data?.createLibrary.id).toBeTruthy();
    // ... then replayed by GET: 405, nothing created.
    const url = new URL(sys.gatewayUrl);
    url.searchParams.set('extensions', JSON.stringify(hashOnly(hash).extensions));
    const res = await fetch(url, { headers: { authorization: `Bearer ${t.ownerToken}`, 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    const libs = await sys.ok('{ libraries { name } }', {}, { token: t.ownerToken });
    expect(libs.libraries.filter((l: { name: string }) => l.name === 'By GET')).toHaveLength(1);
  });

  it('with Redis, a query registered through one gateway instance is found through another; without Redis it is not', async () => {
    const query = gql`
      query Shared {
        tenant {
          slug
        }
      }
    `;
    // Registered through the first gateway by Apollo Client (hash, not found, full query) ...
    const one = apolloClient(sys.gatewayUrl, t.ownerToken);
    expect((await one.client.query({ query, fetchPolicy: 'network-only' })).data).toEqual({ tenant: { __typename: 'Tenant', slug: 'apq-lib' } });
    expect(one.sent).toHaveLength(2);
    const hash = one.sent[0].body!.extensions!.persistedQuery!.sha256Hash;
    // ... the second replica serves the hash alone: one request, no query text.
    const two = apolloClient(other.url, t.ownerToken);
    expect((await two.client.query({ query, fetchPolicy: 'network-only' })).data).toEqual({ tenant: { __typename: 'Tenant', slug: 'apq-lib' } });
    expect(two.sent).toHaveLength(1);
    expect(two.sent[0].body!.query).toBeUndefined();
    expect(two.sent[0].body!.extensions!.persistedQuery!.sha256Hash).toBe(hash);
    // An instance with its own in-memory cache does not know it: the link has to send the query again.
    expect((await post(alone.url, hashOnly(hash), t.ownerToken)).body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const three = apolloClient(alone.url, t.ownerToken);
    await three.client.query({ query, fetchPolicy: 'network-only' });
    expect(three.sent.map((s) => s.body!.query === undefined)).toEqual([true, false]);
  });

  it('with APQ=off answers PERSISTED_QUERY_NOT_SUPPORTED, and Apollo Client falls back to full queries', async () => {
    const res = await post(off.url, hashOnly(sha256('query Off { tenant { id } }')), t.ownerToken);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'PERSISTED_QUERY_NOT_SUPPORTED', errorCode: 2005 });
    const { client, sent } = apolloClient(off.url, t.ownerToken);
    const query = gql`
      query Off {
        tenant {
          slug
        }
      }
    `;
    await client.query({ query, fetchPolicy: 'network-only' });
    await client.query({ query, fetchPolicy: 'network-only' });
    // Hash, refused, full text; then the link stops hashing.
    expect(sent.map((s) => ({ hash: !!s.body!.extensions?.persistedQuery, text: !!s.body!.query }))).toEqual([
      { hash: true, text: false },
      { hash: false, text: true },
      { hash: false, text: true },
    ]);
  });

  it('keeps its entries in Redis with the configured prefix and TTL', async () => {
    const r = new Redis(redis.url);
    try {
      const query = 'query Keys { apiKeys { id name } }';
      const key = `${sys.config.persistedQueries.redisPrefix}apq:${sha256(query)}`;
      expect(await r.get(key)).toBe(query);
      const ttl = await r.ttl(key);
      expect(ttl).toBeGreaterThan(sys.config.persistedQueries.ttlSeconds - 60);
      expect(ttl).toBeLessThanOrEqual(sys.config.persistedQueries.ttlSeconds);
    } finally {
      r.disconnect();
    }
  });
});

describe('APQ caches', () => {
  it('a Redis that does not answer, or fails, is a miss within the read timeout, never an error', async () => {
    const log = createLogger('test', 'silent');
    // What ioredis does while reconnecting: the command waits in its offline queue.
    const silent = { get: () => new Promise(() => undefined) } as unknown as Redis;
    const started = Date.now();
    expect(await new RedisQueryCache(silent, 'x:', 60, log, 200).get(`apq:${sha256('q')}`)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1500);
    const failing = {
      get: async () => {
        throw new Error('ECONNREFUSED');
      },
      set: async () => {
        throw new Error('ECONNREFUSED');
      },
    } as unknown as Redis;
    const cache = new RedisQueryCache(failing, 'x:', 60, log);
    expect(await cache.get(`apq:${sha256('q')}`)).toBeUndefined();
    await expect(cache.set(`apq:${sha256('q')}`, 'q')).resolves.toBeUndefined();
    // Keys that are not Apollo's `apq:<sha256>` are never looked up.
    const spy = { get: jest.fn() } as unknown as Redis;
    expect(await new RedisQueryCache(spy, 'x:', 60, log).get('apq:../../etc')).toBeUndefined();
    expect((spy as unknown as { get: jest.Mock }).get).not.toHaveBeenCalled();
  });

  it('in memory (no REDIS_URL) is bounded: least recently used documents go first', async () => {
    const cache = new MemoryQueryCache(100, 60);
    await cache.set('apq:a', 'x'.repeat(40));
    await cache.set('apq:b', 'y'.repeat(40));
    expect(await cache.get('apq:a')).toBeDefined(); // a is now the most recent
    await cache.set('apq:c', 'z'.repeat(40));
    expect(await cache.get('apq:b')).toBeUndefined();
    expect(await cache.get('apq:a')).toBe('x'.repeat(40));
    expect(await cache.get('apq:c')).toBe('z'.repeat(40));
    expect(cache.size()).toBe(2);
    await cache.set('apq:huge', 'h'.repeat(101));
    expect(await cache.get('apq:huge')).toBeUndefined();
  });

  it('in memory expires entries after their TTL', async () => {
    const cache = new MemoryQueryCache(1000, 60);
    await cache.set('apq:t', 'q', { ttl: 0.05 });
    expect(await cache.get('apq:t')).toBe('q');
    await new Promise((r) => setTimeout(r, 80));
    expect(await cache.get('apq:t')).toBeUndefined();
    expect(cache.size()).toBe(0);
  });
});
