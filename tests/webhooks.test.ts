import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { Webhook } from 'standardwebhooks';
import { addDays, istDay } from '../core/tenant-time';
import { runDueDeliveries, enqueueDeliveries, pruneDeliveries, type AttemptEnv } from '../subgraphs/messaging/webhooks/delivery.service';
import { outboundWebhookOptions } from '../subgraphs/messaging/messaging.env';
import { startSystem, type System, type TestTenant } from './helpers/system';

// Outbound webhooks (issue 17 item 3) through the gateway, delivered to a REAL HTTP receiver on
// loopback (so the private-target guard is relaxed here; tests/webhooks-guard.test.ts runs with it on).

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/** A receiver on 127.0.0.1: /ok answers 204, /fail 500, /gone 410, /flaky/<n> fails the first n requests of each webhook-id. */
class Receiver {
  readonly got: Received[] = [];
  private readonly seen = new Map<string, number>();
  server: Server;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const id = String(req.headers['webhook-id']);
        const n = (this.seen.get(`${path}|${id}`) ?? 0) + 1;
        this.seen.set(`${path}|${id}`, n);
        const flaky = /^\/flaky\/(\d+)/.exec(path);
        const status = path.startsWith('/fail')
          ? 500
          : path.startsWith('/gone')
            ? 410
            : flaky && n <= Number(flaky[1])
              ? 500
              : path.startsWith('/slow')
                ? 200
                : 204;
        this.got.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at: Date.now() });
        const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? 'x'.repeat(3000) : '');
        if (path.startsWith('/slow')) setTimeout(answer, 150);
        else answer();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  on = (path: string) => this.got.filter((g) => g.path === path);
  stop = () => new Promise<void>((r) => this.server.close(() => r()));
}

const SCHEDULE = [100, 200, 400, 800];
const DISABLE_AFTER = 3000;
let sys: System;
const rx = new Receiver();
beforeAll(async () => {
  await rx.start();
  sys = await startSystem(
    {},
    { messaging: { outbound: { allowPrivateTargets: true, intervalMs: 50, timeoutMs: 2000, scheduleMs: SCHEDULE, disableAfterMs: DISABLE_AFTER } } },
  );
});
afterAll(async () => {
  await sys?.stop();
  await rx.stop();
});

const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes status apiKeyId } } }`;
const DELIVERIES = `query($e: ID!, $s: WebhookDeliveryStatus, $f: Int, $a: String) { webhookDeliveries(endpointId: $e, status: $s, first: $f, after: $a) {
  nodes { id eventId eventType status attempts lastResponseCode lastError payload } nextCursor } }`;
const ATTEMPTS = `query($d: ID!) { webhookDeliveryAttempts(deliveryId: $d) { attempt trigger outcome responseCode latencyMs errorClass responseBody at } }`;
const ENDPOINT = `query($id: ID!) { webhookEndpoint(id: $id) { id status disabledReason failingSince previousSecretExpiresAt } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));

async function until<T>(probe: () => T | Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await probe();
  while (!ok(v) && Date.now() < end) {
    await sleep(50);
    v = await probe();
  }
  return v;
}

async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const o = { token: t.ownerToken };
  const libraryId = (await sys.ok(`mutation { createLibrary(input: { name: "Hall", capacity: 30 }) { id } }`, {}, o)).createLibrary.id as string;
  const student = async (name = 'Asha') =>
    (await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name, phone: '9876543210', libraryId } }, o)).createStudent
      .id as string;
  const endpoint = async (path: string, eventTypes: string[]) =>
    (await sys.ok(CREATE, { i: { url: `${rx.url}${path}`, eventTypes } }, o)).createWebhookEndpoint;
  return { t, o, libraryId, student, endpoint };
}

/** Verifies with the library, as a receiver would; returns the parsed payload. */
function verify(r: Received, secret: string) {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as { type: string; version: number; id: string; timestamp: string; tenantId: string; data: Record<string, unknown> };
}

describe('outbound webhooks: delivery', () => {
  it('delivers every event type after the action that causes it, signed per Standard Webhooks, with no personal data', async () => {
    const { t, o, libraryId, student, endpoint } = await setup('wh-types');
    const ep = await endpoint('/ok/types', ['student.created', 'payment.captured', 'attendance.checked_in', 'membership.expiring']);
    expect(ep.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const studentId = await student();
    const byType = (type: string) =>
      rx
        .on('/ok/types')
        .map((r) => verify(r, ep.secret))
        .find((p) => p.type === type);

    const created = await until(() => byType('student.created'), Boolean);
    expect(created).toMatchObject({ type: 'student.created', version: 1, tenantId: t.id, data: { studentId } });
    expect(created!.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(JSON.stringify(created)).not.toContain('9876543210');

    const pay = await sys.ok(
      `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id invoice { number } } }`,
      { i: { studentId, amount: 150_000, method: 'UPI' } },
      o,
    );
    const captured = await until(() => byType('payment.captured'), Boolean);
    expect(captured!.data).toEqual({
      paymentId: pay.recordPayment.id,
      studentId,
      amount: 150_000,
      currency: 'INR',
      invoiceNumber: pay.recordPayment.invoice.number,
    });

    const visit = await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id checkInAt } }`, { s: studentId }, o);
    const checkedIn = await until(() => byType('attendance.checked_in'), Boolean);
    expect(checkedIn!.data).toEqual({ attendanceId: visit.checkIn.id, studentId, libraryId, checkInAt: new Date(visit.checkIn.checkInAt).toISOString() });

    // A monthly membership whose period ends within 3 days: the fee cycle tells once per period.
    const plan = (
      await sys.ok(
        `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
        {
          i: { libraryId, name: 'Weekly', duration: 'DAYS', durationDays: 7, price: 50_000, seatKind: 'ANY' },
        },
        o,
      )
    ).createFeePlan.id;
    const start = addDays(istDay(new Date()), -5);
    const m = await sys.ok(
      `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id endDate } }`,
      { i: { studentId, planId: plan, startDate: start, idempotencyKey: 'wh-membership-1' } },
      o,
    );
    await sys.ok(`mutation { a: runFeeCycle { renewed } b: runFeeCycle { renewed } }`, {}, o);
    const expiring = await until(() => byType('membership.expiring'), Boolean);
    expect(expiring!.data).toMatchObject({
      membershipId: m.assignFeePlan.id,
      studentId,
      libraryId,
      planId: plan,
      period: 1,
      endDate: m.assignFeePlan.endDate,
      autoRenew: true,
    });
    await sleep(300);
    expect(rx.on('/ok/types').filter((r) => verify(r, ep.secret).type === 'membership.expiring')).toHaveLength(1);

    // The log: one DELIVERED delivery per event, each one attempt that succeeded.
    const log = (await sys.ok(DELIVERIES, { e: ep.endpoint.id }, o)).webhookDeliveries;
    expect(log.nodes.map((d: { eventType: string }) => d.eventType).sort()).toEqual([
      'attendance.checked_in',
      'membership.expiring',
      'payment.captured',
      'student.created',
    ]);
    expect(log.nodes.every((d: { status: string; attempts: number }) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
    const attempts = (await sys.ok(ATTEMPTS, { d: log.nodes[0].id }, o)).webhookDeliveryAttempts;
    expect(attempts).toEqual([expect.objectContaining({ attempt: 1, trigger: 'SCHEDULE', outcome: 'SUCCEEDED', responseCode: 204, errorClass: null })]);
    expect(attempts[0].latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('ticket.updated (the tickets domain) arrives through its one catalog entry', async () => {
    const { o, student, endpoint, libraryId } = await setup('wh-ticket');
    const ep = await endpoint('/ok/ticket', ['ticket.updated']);
    const studentId = await student();
    const raised = await sys.ok(
      `mutation($i: RaiseTicketInput!) { raiseTicket(input: $i) { id status priority } }`,
      { i: { studentId, title: 'Fan broken', description: 'Seat 12 fan does not work', category: 'FACILITY', priority: 'HIGH' } },
      o,
    );
    const got = await until(
      () => rx.on('/ok/ticket'),
      (g) => g.length >= 1,
    );
    const p = verify(got[0], ep.secret);
    expect(p).toMatchObject({
      type: 'ticket.updated',
      version: 1,
      data: { ticketId: raised.raiseTicket.id, libraryId, studentId, status: raised.raiseTicket.status, priority: 'HIGH', change: 'created' },
    });
    expect(JSON.stringify(p)).not.toContain('Fan broken');
  });

  it('a receiver that fails and then recovers gets every event exactly once by id (no losses), with a stable webhook-id', async () => {
    const { student, endpoint, o } = await setup('wh-flaky');
    const ep = await endpoint('/flaky/2', ['student.created']);
    const ids = await Promise.all([1, 2, 3, 4, 5].map((i) => student(`S${i}`)));
    const accepted = () => rx.on('/flaky/2').filter((r) => r.status < 300);
    await until(accepted, (a) => a.length >= ids.length);
    await sleep(400);
    const ok = accepted().map((r) => verify(r, ep.secret));
    // Receiver-side dedupe by webhook-id: the set of ids equals the set of events, each accepted once.
    expect(new Set(ok.map((p) => p.id)).size).toBe(ids.length);
    expect(ok.map((p) => p.data.studentId).sort()).toEqual([...ids].sort());
    for (const p of ok) {
      const all = rx.on('/flaky/2').filter((r) => r.headers['webhook-id'] === p.id);
      expect(all.map((r) => r.status)).toEqual([500, 500, 204]);
      expect(new Set(all.map((r) => r.body)).size).toBe(1);
    }
    const log = (await sys.ok(DELIVERIES, { e: ep.endpoint.id, s: 'DELIVERED' }, o)).webhookDeliveries.nodes;
    expect(log).toHaveLength(5);
    expect(log.every((d: { attempts: number }) => d.attempts === 3)).toBe(true);
  });

  it('retries with the backoff schedule, FAILs after the last retry, keeps 1 KB of the answer, and pages the log', async () => {
    const { student, endpoint, o } = await setup('wh-backoff');
    const ep = await endpoint('/fail/backoff', ['student.created']);
    await student();
    const log = await until(
      async () => (await sys.ok(DELIVERIES, { e: ep.endpoint.id }, o)).webhookDeliveries.nodes,
      (n) => n[0]?.status === 'FAILED',
    );
    expect(log[0]).toMatchObject({ status: 'FAILED', attempts: SCHEDULE.length + 1, lastResponseCode: 500, lastError: 'HTTP_500' });
    const hits = rx.on('/fail/backoff').map((r) => r.at);
    expect(hits).toHaveLength(SCHEDULE.length + 1);
    hits.slice(1).forEach((at, i) => expect(at - hits[i]).toBeGreaterThanOrEqual(SCHEDULE[i] - 20));
    const attempts = (await sys.ok(ATTEMPTS, { d: log[0].id }, o)).webhookDeliveryAttempts;
    expect(attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(attempts[0]).toMatchObject({ outcome: 'FAILED', responseCode: 500, errorClass: 'HTTP_500' });
    expect(attempts[0].responseBody).toHaveLength(1024);
    // Pagination: more students, two pages without overlap.
    await student('B');
    await student('C');
    await until(
      async () => (await sys.ok(DELIVERIES, { e: ep.endpoint.id }, o)).webhookDeliveries.nodes.length,
      (n) => n === 3,
    );
    const p1 = (await sys.ok(DELIVERIES, { e: ep.endpoint.id, f: 2 }, o)).webhookDeliveries;
    const p2 = (await sys.ok(DELIVERIES, { e: ep.endpoint.id, f: 2, a: p1.nextCursor }, o)).webhookDeliveries;
    expect(p1.nodes).toHaveLength(2);
    expect(p2.nodes).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(new Set([...p1.nodes, ...p2.nodes].map((d: { id: string }) => d.id)).size).toBe(3);
  });

  it('two workers racing never send the same attempt twice', async () => {
    const { t, endpoint } = await setup('wh-race');
    // Deliveries queued straight into the tenant's database, then three workers race (plus the system's own).
    const ep = await endpoint('/slow/race', ['student.created']);
    const conn = tenantDb(t);
    const opts = outboundWebhookOptions({ allowPrivateTargets: true, intervalMs: 0, timeoutMs: 2000, scheduleMs: SCHEDULE, disableAfterMs: DISABLE_AFTER });
    const env: AttemptEnv = { conn, ring: sys.config.security.accountKeys, opts, notifyDisabled: async () => undefined };
    const events = Array.from({ length: 12 }, (_, i) => ({
      id: `evt_race${i}`,
      type: 'student.created',
      body: JSON.stringify({ type: 'student.created', id: `evt_race${i}` }),
    }));
    const endpointId = new Types.ObjectId(ep.endpoint.id as string);
    await Promise.all(events.map((e) => enqueueDeliveries(conn, [endpointId], e, new Date())));
    // The same event queued again (a consumer that ran twice) adds nothing.
    await enqueueDeliveries(conn, [endpointId], events[0], new Date());
    expect(await conn.collection('webhook_deliveries').countDocuments({ endpointId })).toBe(12);
    await Promise.all([runDueDeliveries(env), runDueDeliveries(env), runDueDeliveries(env)]);
    await until(
      () => conn.collection('webhook_deliveries').countDocuments({ endpointId, status: 'DELIVERED' }),
      (n) => n === 12,
    );
    await sleep(300);
    const perId = new Map<string, number>();
    for (const r of rx.on('/slow/race')) perId.set(String(r.headers['webhook-id']), (perId.get(String(r.headers['webhook-id'])) ?? 0) + 1);
    expect(perId.size).toBe(12);
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    expect(await conn.collection('webhook_attempts').countDocuments({ endpointId })).toBe(12);

    // Retention: settled deliveries past the cut-off go with their attempts; newer ones stay.
    const [oldest] = await conn.collection('webhook_deliveries').find({ endpointId }).limit(1).toArray();
    await conn.collection('webhook_deliveries').updateOne({ _id: oldest._id }, { $set: { updatedAt: new Date(Date.now() - 40 * 86_400_000) } });
    expect(await pruneDeliveries(conn, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await conn.collection('webhook_deliveries').countDocuments({ endpointId })).toBe(11);
    expect(await conn.collection('webhook_attempts').countDocuments({ deliveryId: oldest._id })).toBe(0);
  });

  it('replays a delivery with the same webhook-id and body, and pings an endpoint', async () => {
    const { student, endpoint, o } = await setup('wh-replay');
    const ep = await endpoint('/ok/replay', ['student.created']);
    await student();
    await until(
      () => rx.on('/ok/replay'),
      (g) => g.length === 1,
    );
    const [d] = (await sys.ok(DELIVERIES, { e: ep.endpoint.id }, o)).webhookDeliveries.nodes;
    const replay = (await sys.ok(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { attempt trigger outcome responseCode } }`, { id: d.id }, o))
      .replayWebhookDelivery;
    expect(replay).toEqual({ attempt: 2, trigger: 'REPLAY', outcome: 'SUCCEEDED', responseCode: 204 });
    const [first, second] = rx.on('/ok/replay');
    expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(second.body).toBe(first.body);
    expect(verify(second, ep.secret).id).toBe(d.eventId);

    const ping = (await sys.ok(`mutation($id: ID!) { pingWebhookEndpoint(id: $id) { trigger outcome responseCode } }`, { id: ep.endpoint.id }, o))
      .pingWebhookEndpoint;
    expect(ping).toEqual({ trigger: 'PING', outcome: 'SUCCEEDED', responseCode: 204 });
    const pinged = verify(rx.on('/ok/replay')[2], ep.secret);
    expect(pinged).toMatchObject({ type: 'webhook.test', version: 1, data: { endpointId: ep.endpoint.id } });
  });

  it('rotating the secret signs with both secrets during the overlap; overlap 0 drops the old one', async () => {
    const { endpoint, o } = await setup('wh-rotate');
    const ep = await endpoint('/ok/rotate', ['student.created']);
    const rotated = (
      await sys.ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretExpiresAt } } }`, { id: ep.endpoint.id }, o)
    ).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(ep.secret);
    const overlap = new Date(rotated.endpoint.previousSecretExpiresAt).getTime() - Date.now();
    expect(overlap).toBeGreaterThan(23.9 * 3600_000);
    await sys.ok(`mutation($id: ID!) { pingWebhookEndpoint(id: $id) { outcome } }`, { id: ep.endpoint.id }, o);
    const r = rx.on('/ok/rotate')[0];
    expect(String(r.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(r, rotated.secret).type).toBe('webhook.test');
    expect(verify(r, ep.secret).type).toBe('webhook.test');

    const again = (await sys.ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id, overlapHours: 0) { secret } }`, { id: ep.endpoint.id }, o))
      .rotateWebhookSecret;
    await sys.ok(`mutation($id: ID!) { pingWebhookEndpoint(id: $id) { outcome } }`, { id: ep.endpoint.id }, o);
    const r2 = rx.on('/ok/rotate')[1];
    expect(verify(r2, again.secret).type).toBe('webhook.test');
    expect(() => verify(r2, rotated.secret)).toThrow();
    expect(() => verify(r2, ep.secret)).toThrow();
  });

  it('disables an endpoint after sustained failure and notifies the owners; re-enabling resets; 410 Gone disables at once', async () => {
    const { student, endpoint, o } = await setup('wh-disable');
    const ep = await endpoint('/fail/disable', ['student.created']);
    await student();
    // Every attempt fails; once failing for DISABLE_AFTER ms, the next failure disables it.
    const after = await until(
      async () => (await sys.ok(ENDPOINT, { id: ep.endpoint.id }, o)).webhookEndpoint,
      (e) => e.failingSince !== null,
    );
    expect(after.status).toBe('ACTIVE');
    await sleep(DISABLE_AFTER);
    await sys.ok(`mutation($id: ID!) { pingWebhookEndpoint(id: $id) { outcome } }`, { id: ep.endpoint.id }, o);
    const off = (await sys.ok(ENDPOINT, { id: ep.endpoint.id }, o)).webhookEndpoint;
    expect(off).toMatchObject({ status: 'DISABLED', disabledReason: 'FAILING' });
    const notes = (await sys.ok(`{ notifications { type title body } }`, {}, o)).notifications.filter((n: { type: string }) => n.type === 'WEBHOOK_DISABLED');
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain('127.0.0.1');
    // Disabled: new events are not queued, replay is refused.
    const before = rx.on('/fail/disable').length;
    await student('Later');
    await sleep(400);
    expect(rx.on('/fail/disable').length).toBe(before);
    const [d] = (await sys.ok(DELIVERIES, { e: ep.endpoint.id, f: 1 }, o)).webhookDeliveries.nodes;
    const refused = await sys.gql(`mutation($id: ID!) { replayWebhookDelivery(id: $id) { attempt } }`, { id: d.id }, o);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    const on = (await sys.ok(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { status disabledReason failingSince } }`, { id: ep.endpoint.id }, o))
      .enableWebhookEndpoint;
    expect(on).toEqual({ status: 'ACTIVE', disabledReason: null, failingSince: null });

    const gone = await endpoint('/gone/x', ['student.created']);
    const ping = (await sys.ok(`mutation($id: ID!) { pingWebhookEndpoint(id: $id) { outcome responseCode } }`, { id: gone.endpoint.id }, o))
      .pingWebhookEndpoint;
    expect(ping).toEqual({ outcome: 'FAILED', responseCode: 410 });
    expect((await sys.ok(ENDPOINT, { id: gone.endpoint.id }, o)).webhookEndpoint).toMatchObject({ status: 'DISABLED', disabledReason: 'GONE' });
  });

  it('a revoked partner key stops its endpoints; a rotated key keeps them', async () => {
    const { student, o } = await setup('wh-keys');
    const KEY = `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key apiKey { id } } }`;
    const partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
    const partner = async (key: string, query: string, variables: Record<string, unknown> = {}) =>
      (await (
        await fetch(partnerUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as {
        data?: Record<string, { endpoint: { id: string } }>;
      };
    const mk = async (name: string) => (await sys.ok(KEY, { i: { name, scopes: ['students:list', 'webhooks:manage'] } }, o)).createApiKey;
    const [k1, k2] = [await mk('one'), await mk('two')];
    const e1 = (await partner(k1.key, CREATE, { i: { url: `${rx.url}/ok/key1`, eventTypes: ['student.created'] } })).data!.createWebhookEndpoint;
    const e2 = (await partner(k2.key, CREATE, { i: { url: `${rx.url}/ok/key2`, eventTypes: ['student.created'] } })).data!.createWebhookEndpoint;
    await sys.ok(`mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }`, { id: k1.apiKey.id }, o);
    const rotated = (await sys.ok(`mutation($id: ID!) { rotateApiKey(id: $id) { key apiKey { id } } }`, { id: k2.apiKey.id }, o)).rotateApiKey;
    const ep1 = await until(
      async () => (await sys.ok(ENDPOINT, { id: e1.endpoint.id }, o)).webhookEndpoint,
      (e) => e.status === 'DISABLED',
    );
    expect(ep1.disabledReason).toBe('KEY_REVOKED');
    await until(
      async () => (await sys.ok(`{ webhookEndpoints { id apiKeyId } }`, {}, o)).webhookEndpoints.find((e: { id: string }) => e.id === e2.endpoint.id).apiKeyId,
      (k) => k === rotated.apiKey.id,
    );
    await student();
    await until(
      () => rx.on('/ok/key2'),
      (g) => g.length === 1,
    );
    await sleep(300);
    expect(rx.on('/ok/key1')).toHaveLength(0);
    // The new key manages the moved endpoint; the owner cannot re-enable a revoked key's endpoint.
    const mine = await partner(rotated.key, `{ webhookEndpoints { id } }`);
    expect(mine.data).toEqual({ webhookEndpoints: [{ id: e2.endpoint.id }] });
    const again = await sys.gql(`mutation($id: ID!) { enableWebhookEndpoint(id: $id) { status } }`, { id: e1.endpoint.id }, o);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
