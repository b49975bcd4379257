import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Registry } from 'prom-client';
import { signAccessToken } from '../core/auth/tokens';
import { createLogger } from '../core/logger';
import { SERVICE_ROLE } from '../core/permissions/catalog';
import { signBody, SIGNATURE_HEADER } from '../core/security/signing';
import { istDay } from '../core/tenant-time';
import { findTenant } from '../core/tenancy/registry';
import { RefusedBatch, useApiUsage, type ApiUsageEntry } from '../gateway/use-api-usage';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';

// Issue 17 item 4: partner API usage logs, measured at the gateway, stored by the tenant subgraph.
const SIGNING = 'api-usage-signing-secret-api-usage-0000';
const DAY = 86_400_000;
const ENV = { API_USAGE_FLUSH_MS: '100', API_USAGE_SWEEP_INTERVAL_MS: '300' };
const saved: Record<string, string | undefined> = {};

let sys: System;
let a: TestTenant;
let b: TestTenant;
let partnerUrl: string;
let keyA: { key: string; id: string };
let keyB: { key: string; id: string };
let adminToken: string;
/** What the test sent and got, by x-request-id. */
const sent = new Map<string, { status: number; requestBytes: number; responseBytes: number }>();

const CREATE_KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }`;
const USAGE = `query($k: ID, $f: ApiKeyUsageFilter, $n: Int, $after: String) {
  apiKeyUsage(keyId: $k, filter: $f, first: $n, after: $after) {
    keyId operationName operationType at cursor status errorCodes latencyMs requestBytes responseBytes requestId
  }
}`;
const DAILY = `query($k: ID, $from: String!, $to: String!) {
  apiKeyUsageDaily(keyId: $k, from: $from, to: $to) {
    keyId day operationName requests status2xx status4xx status5xx withErrors totalLatencyMs maxLatencyMs avgLatencyMs requestBytes responseBytes
  }
}`;
const PLATFORM = `query($from: String!, $to: String!) { tenantApiUsageDaily(from: $from, to: $to) { tenantId tenantSlug day requests status2xx status4xx withErrors totalLatencyMs responseBytes } }`;

interface Use {
  keyId: string;
  operationName: string | null;
  operationType: string | null;
  at: string;
  cursor: string;
  status: number | null;
  errorCodes: string[] | null;
  latencyMs: number | null;
  requestBytes: number | null;
  responseBytes: number | null;
  requestId: string | null;
}

async function newKey(t: TestTenant, input: Record<string, unknown> = {}) {
  const r = await sys.ok(CREATE_KEY, { i: { name: 'usage', scopes: ['libraries:read'], ...input } }, { token: t.ownerToken });
  return { key: r.createApiKey.key as string, id: r.createApiKey.apiKey.id as string };
}

/** One partner request over HTTP; remembers its exact bytes and status by request id. */
async function partner(key: string, query: string, operationName?: string, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query, variables, operationName });
  const res = await fetch(partnerUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json;q=0.9', 'x-api-key': key },
    body,
  });
  const text = await res.text();
  const id = res.headers.get('x-request-id')!;
  sent.set(id, { status: res.status, requestBytes: Buffer.byteLength(body), responseBytes: Buffer.byteLength(text) });
  return { status: res.status, id, body: JSON.parse(text) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const usage = async (token: string, vars: Record<string, unknown> = {}, tenant?: string) =>
  (await sys.ok(USAGE, { n: 200, ...vars }, { token, tenant })).apiKeyUsage as Use[];

/** Waits until the gateway's batches have completed every use of the key (flush every 100 ms). */
async function recorded(token: string, keyId: string, count: number): Promise<Use[]> {
  for (let i = 0; i < 100; i++) {
    const uses = await usage(token, { k: keyId });
    if (uses.length >= count && uses.every((u) => u.status !== null)) return uses;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`usage of ${keyId} not recorded`);
}

/** What `read` gives once `done` holds (a few seconds at most), for counters written after the raw entries. */
async function settled<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 50 && !done(v); i++) {
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

/** Days wide enough for a test running across midnight in India. */
const days = () => ({ from: istDay(new Date(Date.now() - DAY)), to: istDay(new Date(Date.now() + DAY)) });

const RECORD = `mutation($i: RecordApiUsageInput!) { recordApiUsage(input: $i) }`;
/** The gateway's credentials for recordApiUsage (as gateway/partner/tenant.client.ts makes them). */
const serviceToken = () => signAccessToken({ sub: 'service:gateway', role: SERVICE_ROLE }, sys.config.security.jwtKeys, 60);

/** recordApiUsage straight on the tenant subgraph, signed or not. */
async function recordDirect(token: string | null, signed: boolean, variables: Record<string, unknown>) {
  const body = JSON.stringify({ query: RECORD, variables });
  const res = await fetch(sys.subgraphUrls.tenant, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(signed ? { [SIGNATURE_HEADER]: signBody(SIGNING, body) } : {}),
    },
    body,
  });
  return { status: res.status, body: (await res.json()) as { data?: { recordApiUsage: number } | null; errors?: { extensions?: { code?: string } }[] } };
}
const tenantDb = async (slug: string) => sys.db.tenant((await findTenant(sys.db.platform(), { slug }))!.dbName);

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  sys = await startSystem({ GATEWAY_SIGNING_SECRET: SIGNING });
  partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
  a = await sys.createTenant('usage-a');
  b = await sys.createTenant('usage-b');
  for (const t of [a, b]) await sys.ok(`mutation { createLibrary(input: { name: "Hall", capacity: 10 }) { id } }`, {}, { token: t.ownerToken });
  keyA = await newKey(a, { rateLimitPerMinute: 4 });
  keyB = await newKey(b);
  const email = `usage-admin-${Date.now()}@studyspot.test`;
  await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email, name: 'Admin', password: TEST_PASSWORD, role: 'admin' } },
    { token: sys.superToken },
  );
  adminToken = (await sys.login(email, TEST_PASSWORD)).accessToken;
});
afterAll(async () => {
  await sys?.stop();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('partner API usage log', () => {
  let uses: Use[];

  it('records each answered request: status, error codes, bytes, latency, operation', async () => {
    const ok1 = await partner(keyA.key, `query Libs { libraries { name } }`, 'Libs');
    const forbidden = await partner(keyA.key, `query Count { students { totalCount } }`, 'Count');
    const invalid = await partner(keyA.key, `query Bad { nope }`, 'Bad');
    const ok2 = await partner(keyA.key, `query Libs { libraries { name } }`); // named by its document only
    const limited = await partner(keyA.key, `query Libs { libraries { name } }`, 'Libs');
    expect([ok1, forbidden, invalid, ok2, limited].map((r) => r.status)).toEqual([200, 200, 400, 200, 429]);
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    uses = await recorded(a.ownerToken, keyA.id, 5);
    expect(uses).toHaveLength(5);
    const byId = new Map(uses.map((u) => [u.requestId, u]));
    const expected: [typeof ok1, string, string | null, string[]][] = [
      [ok1, 'Libs', 'query', []],
      [forbidden, 'Count', 'query', ['FORBIDDEN']],
      [invalid, 'Bad', null, ['GRAPHQL_VALIDATION_FAILED']],
      [ok2, 'Libs', 'query', []],
      [limited, 'Libs', null, ['RATE_LIMITED']],
    ];
    for (const [res, name, type, codes] of expected) {
      const u = byId.get(res.id)!;
      const measured = sent.get(res.id)!;
      expect({ name: u.operationName, type: u.operationType, status: u.status, codes: u.errorCodes }).toEqual({ name, type, status: res.status, codes });
      expect({ req: u.requestBytes, res: u.responseBytes }).toEqual({ req: measured.requestBytes, res: measured.responseBytes });
      expect(u.latencyMs).toBeGreaterThan(0);
      expect(u.keyId).toBe(keyA.id);
    }
  });

  it('daily aggregates per key and operation match the raw log, without double counting the exchange record', async () => {
    const rows = await settled(
      async () => (await sys.ok(DAILY, { k: keyA.id, ...days() }, { token: a.ownerToken })).apiKeyUsageDaily as Record<string, number | string>[],
      (list) => list.reduce((n, r) => n + Number(r.requests), 0) >= uses.length,
    );
    // Sum over days (a run may cross midnight in India) per operation, and compare with the raw entries.
    const sum = (list: Record<string, number | string>[], field: string) => list.reduce((s, r) => s + Number(r[field]), 0);
    for (const op of ['Libs', 'Count', 'Bad']) {
      const agg = rows.filter((r) => r.operationName === op);
      const raw = uses.filter((u) => u.operationName === op);
      expect({
        op,
        requests: sum(agg, 'requests'),
        status2xx: sum(agg, 'status2xx'),
        status4xx: sum(agg, 'status4xx'),
        status5xx: sum(agg, 'status5xx'),
        withErrors: sum(agg, 'withErrors'),
        totalLatencyMs: sum(agg, 'totalLatencyMs'),
        requestBytes: sum(agg, 'requestBytes'),
        responseBytes: sum(agg, 'responseBytes'),
      }).toEqual({
        op,
        requests: raw.length,
        status2xx: raw.filter((u) => u.status! < 300).length,
        status4xx: raw.filter((u) => u.status! >= 400 && u.status! < 500).length,
        status5xx: 0,
        withErrors: raw.filter((u) => u.errorCodes!.length).length,
        totalLatencyMs: raw.reduce((s, u) => s + u.latencyMs!, 0),
        requestBytes: raw.reduce((s, u) => s + u.requestBytes!, 0),
        responseBytes: raw.reduce((s, u) => s + u.responseBytes!, 0),
      });
      expect(Math.max(...agg.map((r) => Number(r.maxLatencyMs)))).toBe(Math.max(...raw.map((u) => u.latencyMs!)));
    }
    expect(sum(rows, 'requests')).toBe(5);
    expect(rows.every((r) => r.keyId === keyA.id)).toBe(true);
  });

  it('filters by operation, status and time, and pages with a cursor', async () => {
    expect((await usage(a.ownerToken, { f: { status: 429 } })).map((u) => u.errorCodes)).toEqual([['RATE_LIMITED']]);
    expect(await usage(a.ownerToken, { f: { operationName: 'Libs' } })).toHaveLength(3);
    expect(await usage(a.ownerToken, { f: { from: new Date(Date.now() + DAY).toISOString() } })).toEqual([]);
    const all = await usage(a.ownerToken, { k: keyA.id });
    const pages: Use[] = [];
    let after: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await usage(a.ownerToken, { k: keyA.id, n: 2, after });
      pages.push(...page);
      if (page.length < 2) break;
      after = page[page.length - 1].cursor;
    }
    expect(pages.map((u) => u.requestId)).toEqual(all.map((u) => u.requestId));
    expect(new Set(pages.map((u) => u.requestId)).size).toBe(5);
    for (const [vars, field] of [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ f: { status: 42 } }, 'status'],
    ] as const) {
      const res = await sys.gql(USAGE, vars, { token: a.ownerToken });
      expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0].message).toContain(field);
    }
    for (const vars of [
      { from: '2025-01-01', to: '2026-12-31' },
      { from: '2026-02-10', to: '2026-02-01' },
      { from: '2026-02-30', to: '2026-03-01' },
    ]) {
      expect((await sys.gql(DAILY, vars, { token: a.ownerToken })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it("each owner sees only their tenant's usage; platform staff see any tenant's through x-tenant", async () => {
    const res = await partner(keyB.key, `query Libs { libraries { name } }`, 'Libs');
    const ofB = await recorded(b.ownerToken, keyB.id, 1);
    expect(ofB.map((u) => [u.requestId, u.status])).toEqual([[res.id, 200]]);
    expect((await usage(b.ownerToken)).every((u) => u.keyId === keyB.id)).toBe(true);
    expect((await usage(a.ownerToken)).every((u) => u.keyId === keyA.id)).toBe(true);
    expect(await usage(a.ownerToken, { k: keyB.id })).toEqual([]);
    expect((await sys.ok(DAILY, { k: keyB.id, ...days() }, { token: a.ownerToken })).apiKeyUsageDaily).toEqual([]);

    // Platform staff: a tenant named by x-tenant; without one, a clear error.
    expect((await usage(adminToken, { k: keyB.id }, b.slug)).map((u) => u.requestId)).toEqual([res.id]);
    // The counters follow the raw entries within the same batch: wait for them, as for the raw entries.
    const dailyB = await settled(
      async () => (await sys.ok(DAILY, days(), { token: adminToken, tenant: b.slug })).apiKeyUsageDaily as { requests: number }[],
      (rows) => rows.reduce((s, r) => s + r.requests, 0) >= 1,
    );
    expect(dailyB.reduce((s, r) => s + r.requests, 0)).toBe(1);
    expect((await sys.gql(USAGE, {}, { token: adminToken })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // Platform-wide per tenant and day; not for tenants' users.
    type PlatformRow = { tenantSlug: string; requests: number; status4xx: number };
    const sum = (rows: PlatformRow[], slug: string, f: 'requests' | 'status4xx') => rows.filter((r) => r.tenantSlug === slug).reduce((s, r) => s + r[f], 0);
    const platform = await settled(
      async () => (await sys.ok(PLATFORM, days(), { token: adminToken })).tenantApiUsageDaily as PlatformRow[],
      (rows) => sum(rows, b.slug, 'requests') >= 1,
    );
    const total = (slug: string, f: 'requests' | 'status4xx') => sum(platform, slug, f);
    expect([total(a.slug, 'requests'), total(a.slug, 'status4xx'), total(b.slug, 'requests')]).toEqual([5, 2, 1]);
    expect((await sys.gql(PLATFORM, days(), { token: a.ownerToken })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const manager = await sys.userToken(a, 'manager');
    for (const q of [USAGE, DAILY]) expect((await sys.gql(q, days(), { token: manager })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('clients cannot record usage: not in the API, refused unsigned or without the gateway service token, never across tenants', async () => {
    const conn = await tenantDb(b.slug);
    const before = await conn.collection('api_key_usage').find({}).toArray();
    const [bUse] = await usage(b.ownerToken);
    const bUseId = before.find((d) => d.requestId === bUse.requestId)!._id.toHexString();
    const entry = {
      useId: bUseId,
      tenantId: b.id,
      keyId: keyB.id,
      operationName: 'Forged',
      status: 500,
      errorCodes: ['INTERNAL'],
      latencyMs: 1,
      requestBytes: 1,
      responseBytes: 1,
      at: new Date().toISOString(),
    };
    const variables = { i: { entries: [entry] } };

    // Through the gateway: not in the schema (nor in the partner contract).
    const viaGateway = await sys.gql(RECORD, variables, { token: b.ownerToken });
    expect(viaGateway.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const viaPartner = await partner(keyB.key, RECORD, undefined, variables);
    expect(viaPartner.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await recorded(b.ownerToken, keyB.id, 2); // that refusal is a use of the key too

    // Straight to the tenant subgraph.
    const direct = (token: string | null, signed: boolean, vars: Record<string, unknown> = variables) => recordDirect(token, signed, vars);
    const service = serviceToken();
    const unsigned = await direct(service, false);
    expect([unsigned.status, unsigned.body.errors?.[0].extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const token of [b.ownerToken, adminToken, null]) {
      const r = await direct(token, true);
      expect(r.body.errors?.[0].extensions?.code).toMatch(/^(FORBIDDEN|UNAUTHENTICATED)$/);
    }
    // The gateway's own credentials, but an entry naming tenant A with tenant B's key: dropped.
    const crossed = await direct(service, true, { i: { entries: [{ ...entry, tenantId: a.id }] } });
    expect(crossed.body.data?.recordApiUsage).toBe(0);
    // A retry of an entry already recorded changes no count.
    const dailyBefore = await settled(
      async () => (await sys.ok(DAILY, days(), { token: b.ownerToken })).apiKeyUsageDaily as { requests: number }[],
      (list) => list.reduce((n, r) => n + r.requests, 0) >= 2,
    );
    const again = await direct(service, true, { i: { entries: [{ ...entry, operationName: 'Libs', status: 200, errorCodes: [] }] } });
    expect(again.body.data?.recordApiUsage).toBe(0);
    expect((await sys.ok(DAILY, days(), { token: b.ownerToken })).apiKeyUsageDaily).toEqual(dailyBefore);

    const after = await conn.collection('api_key_usage').find({}).toArray();
    expect(after.map((d) => d.operationName)).not.toContain('Forged');
    expect(after.map((d) => d.status)).not.toContain(500);
    expect(await (await tenantDb(a.slug)).collection('api_key_usage').countDocuments({ operationName: 'Forged' })).toBe(0);
  });

  it('concurrent batches count each use exactly once (first upserts race; retries are no-ops)', async () => {
    const entries = Array.from({ length: 12 }, (_, i) => ({
      useId: (0xabc000 + i).toString(16).padStart(24, '0'),
      tenantId: a.id,
      keyId: keyA.id,
      operationName: 'Race',
      operationType: 'query',
      status: i % 3 ? 200 : 502,
      errorCodes: i % 3 ? [] : ['SERVICE_UNAVAILABLE'],
      latencyMs: i + 1,
      requestBytes: 10,
      responseBytes: 20,
      at: new Date().toISOString(),
    }));
    const batches = () => Promise.all(entries.map((e) => recordDirect(serviceToken(), true, { i: { entries: [e] } })));
    const first = await batches();
    expect(first.map((r) => r.body.data?.recordApiUsage)).toEqual(entries.map(() => 1));
    const second = await batches();
    expect(second.map((r) => r.body.data?.recordApiUsage)).toEqual(entries.map(() => 0));
    const rows = ((await sys.ok(DAILY, { k: keyA.id, ...days() }, { token: a.ownerToken })).apiKeyUsageDaily as Record<string, unknown>[]).filter(
      (r) => r.operationName === 'Race',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requests: 12,
      status2xx: 8,
      status5xx: 4,
      withErrors: 4,
      totalLatencyMs: 78,
      maxLatencyMs: 12,
      avgLatencyMs: 7,
      requestBytes: 120,
    });
  });

  it('one batch with the uses of several keys (and tenants) records each in its own tenant', async () => {
    const use = (i: number, t: TestTenant, keyId: string) => ({
      useId: (0xbcd000 + i).toString(16).padStart(24, '0'),
      tenantId: t.id,
      keyId,
      operationName: 'TwoKeys',
      operationType: 'query',
      status: 200,
      errorCodes: [],
      latencyMs: 5,
      requestBytes: 10,
      responseBytes: 20,
      at: new Date().toISOString(),
    });
    const r = await recordDirect(serviceToken(), true, { i: { entries: [use(1, a, keyA.id), use(2, b, keyB.id), use(3, a, keyA.id)] } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data?.recordApiUsage).toBe(3);
    const count = async (t: TestTenant, k: string) =>
      ((await sys.ok(DAILY, { k, ...days() }, { token: t.ownerToken })).apiKeyUsageDaily as { operationName: string; requests: number }[])
        .filter((row) => row.operationName === 'TwoKeys')
        .reduce((n, row) => n + row.requests, 0);
    expect(await count(a, keyA.id)).toBe(2);
    expect(await count(b, keyB.id)).toBe(1);
  });

  it('the retention sweep deletes old raw entries and keeps daily aggregates for longer', async () => {
    const conn = await tenantDb(a.slug);
    const old = new Date(Date.now() - 100 * DAY);
    const day = (n: number) => istDay(new Date(Date.now() - n * DAY));
    await conn.collection('api_key_usage').insertOne({ keyId: keyA.id, operationName: 'Old', at: old, status: 200, errorCodes: [], latencyMs: 3 });
    await conn.collection('api_usage_counted').insertOne({ _id: 'old-use' as never, at: old });
    const counters = {
      requests: 1,
      status2xx: 1,
      status4xx: 0,
      status5xx: 0,
      withErrors: 0,
      totalLatencyMs: 3,
      maxLatencyMs: 3,
      requestBytes: 1,
      responseBytes: 1,
    };
    await conn.collection('api_usage_daily').insertMany([
      { _id: `${keyA.id}|${day(300)}|Old` as never, keyId: keyA.id, day: day(300), operationName: 'Old', ...counters },
      { _id: `${keyA.id}|${day(500)}|Old` as never, keyId: keyA.id, day: day(500), operationName: 'Old', ...counters },
    ]);
    await conn.collection('api_usage_chain').insertOne({ chain: `${keyA.id}|${day(100)}|Old`, seq: 1, key: 'old-batch', day: day(100), state: counters });
    await sys.db
      .platform()
      .collection('api_usage_tenant_daily')
      .insertOne({ _id: `${a.id}|${day(500)}` as never, tenantId: a.id, tenantSlug: a.slug, day: day(500), ...counters });

    // One sweep deletes raw entries, counted markers, chain entries, then old daily rows: wait for the whole sweep, not its first step.
    const leftOld = async () =>
      (await conn.collection('api_key_usage').countDocuments({ operationName: 'Old' })) +
      (await conn.collection('api_usage_counted').countDocuments({ _id: 'old-use' as never })) +
      (await conn.collection('api_usage_chain').countDocuments({ key: 'old-batch' })) +
      (await conn.collection('api_usage_daily').countDocuments({ day: day(500) }));
    for (let i = 0; i < 50 && (await leftOld()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await conn.collection('api_key_usage').countDocuments({ operationName: 'Old' })).toBe(0);
    expect(await conn.collection('api_usage_counted').countDocuments({ _id: 'old-use' as never })).toBe(0);
    expect(await conn.collection('api_usage_chain').countDocuments({ key: 'old-batch' })).toBe(0);
    expect(await conn.collection('api_usage_chain').countDocuments({ day: istDay(new Date()) })).toBeGreaterThan(0); // today's chains stay
    for (
      let i = 0;
      i < 20 &&
      (await sys.db
        .platform()
        .collection('api_usage_tenant_daily')
        .countDocuments({ day: day(500) }));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await conn.collection('api_usage_daily').find({ operationName: 'Old' }).toArray()).map((d) => d.day)).toEqual([day(300)]);
    expect(
      await sys.db
        .platform()
        .collection('api_usage_tenant_daily')
        .countDocuments({ day: day(500) }),
    ).toBe(0);
    // Recent entries stay.
    expect(await usage(a.ownerToken, { k: keyA.id })).toHaveLength(5);
  });

  // Last: stops the gateway.
  it('on shutdown the gateway sends what it still holds', async () => {
    const k = await newKey(b);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await partner(k.key, `query Libs { libraries { name } }`, 'Libs')).id);
    await sys.gateway.stop();
    const docs = await (await tenantDb(b.slug)).collection('api_key_usage').find({ keyId: k.id }).toArray();
    expect(docs.map((d) => [d.requestId, d.status]).sort()).toEqual(ids.map((id) => [id, 200]).sort());
  });
});

describe('useApiUsage buffer', () => {
  /** A tiny endpoint behind the middleware, as the partner router leaves its locals. */
  async function serve(usage: ReturnType<typeof useApiUsage>) {
    const app = express();
    app.use(express.json());
    let n = 0;
    app.post('/', usage.middleware, (_req, res) => {
      n++;
      res.locals.session = { keyId: 'k', tenantId: 't', useId: `u${n}` };
      res.json({ data: { n } });
    });
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const hit = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then((r) => r.text());
    return { hit, close: () => new Promise((r) => server.close(r)) };
  }
  const log = createLogger('test', 'silent');

  it('keeps at most maxBuffer entries while sending fails, dropping the oldest (counted), and sends the rest once it recovers', async () => {
    const registry = new Registry();
    let down = true;
    const got: ApiUsageEntry[] = [];
    const usage = useApiUsage({
      log,
      registry,
      flushMs: 3_600_000,
      batchSize: 4,
      maxBuffer: 6,
      send: async (entries) => {
        if (down) throw new Error('tenant subgraph down');
        got.push(...entries);
      },
    });
    const { hit, close } = await serve(usage);
    for (let i = 0; i < 10; i++) await hit();
    await usage.flush();
    expect(usage.pending()).toBe(6);
    expect((await registry.getSingleMetric('api_usage_dropped_total')!.get()).values[0].value).toBe(4);
    down = false;
    await usage.flush();
    expect(got.map((e) => e.useId)).toEqual(['u5', 'u6', 'u7', 'u8', 'u9', 'u10']);
    expect(got[0]).toMatchObject({ keyId: 'k', tenantId: 't', status: 200, errorCodes: [], requestBytes: 2, responseBytes: '{"data":{"n":5}}'.length });
    await usage.stop();
    await close();
  });

  it('a batch the tenant service refuses as invalid is dropped (counted), not retried forever', async () => {
    const registry = new Registry();
    const calls: number[] = [];
    const usage = useApiUsage({
      log,
      registry,
      flushMs: 3_600_000,
      batchSize: 2,
      send: async (entries) => {
        calls.push(entries.length);
        if (calls.length === 1) throw new RefusedBatch('invalid');
      },
    });
    const { hit, close } = await serve(usage);
    for (let i = 0; i < 3; i++) await hit();
    await usage.flush();
    expect(usage.pending()).toBe(0);
    expect(calls).toEqual([2, 1]);
    expect((await registry.getSingleMetric('api_usage_dropped_total')!.get()).values[0].value).toBe(2);
    await usage.stop();
    await close();
  });

  it('stop() sends what is buffered without waiting for the timer', async () => {
    const got: ApiUsageEntry[] = [];
    const usage = useApiUsage({ log, flushMs: 3_600_000, batchSize: 100, send: async (e) => void got.push(...e) });
    const { hit, close } = await serve(usage);
    for (let i = 0; i < 3; i++) await hit();
    expect(got).toEqual([]);
    await usage.stop();
    expect(got.map((e) => e.useId)).toEqual(['u1', 'u2', 'u3']);
    await close();
  });
});
