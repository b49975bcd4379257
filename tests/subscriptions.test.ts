import v8 from 'node:v8';
import vm from 'node:vm';
import jwt from 'jsonwebtoken';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, sleep, subscribe, type WsConnection } from './helpers/ws';

let sys: System;
let a: TestTenant;
let b: TestTenant;
const open: WsConnection[] = [];

const SECRET = 'test-secret-test-secret-test-secret-000';
const OCCUPANCY = `subscription($id: ID) { occupancyChanged(libraryId: $id) { id name capacity occupancy { occupied free percent } } }`;
const NOTIFICATIONS = `subscription { notificationReceived { type title student { name } } }`;

async function library(t: TestTenant, name: string, capacity = 10): Promise<string> {
  const r = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity } }, { token: t.ownerToken });
  return r.createLibrary.id;
}
async function student(t: TestTenant, libraryId: string, name = 'Ravi'): Promise<string> {
  const r = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: '9876543210', libraryId } },
    { token: t.ownerToken },
  );
  return r.createStudent.id;
}
const checkIn = (t: TestTenant, id: string) => sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: id }, { token: t.ownerToken });
const checkOut = (t: TestTenant, id: string) => sys.ok(`mutation($s: ID!) { checkOut(studentId: $s) { id } }`, { s: id }, { token: t.ownerToken });
function ws(token: string, extra: Record<string, unknown> = {}) {
  const c = connect(sys.wsUrl, { authorization: `Bearer ${token}`, ...extra });
  open.push(c);
  return c;
}

beforeAll(async () => {
  // The lifecycle test opens 10,000 subscriptions as one user over one socket: the
  // WebSocket rate budgets and subscription caps are tested in subscriptions-limits.test.ts.
  sys = await startSystem({
    RATE_LIMIT_IP: '0',
    RATE_LIMIT_USER: '0',
    RATE_LIMIT_TENANT: '0',
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '1000',
    WS_MAX_SUBSCRIPTIONS_PER_USER: '1000',
  });
  a = await sys.createTenant('sub-a', { plan: 'professional' });
  b = await sys.createTenant('sub-b', { plan: 'professional' });
});
afterAll(async () => {
  for (const c of open) await c.client.dispose();
  await sys?.stop();
});

describe('occupancyChanged', () => {
  it('delivers each check-in and check-out with Library fields from the tenant subgraph', async () => {
    const lib = await library(a, 'Live Hall', 4);
    const s = await student(a, lib);
    const sub = subscribe(ws(a.ownerToken).client, OCCUPANCY, { id: lib });
    await sleep(200);
    await checkIn(a, s);
    // Occupancy is read when the event is resolved: let the first one resolve before checking out.
    await sub.waitFor(1);
    await checkOut(a, s);
    const results = await sub.waitFor(2);
    expect(results.map((r) => r.data)).toEqual([
      { occupancyChanged: { id: lib, name: 'Live Hall', capacity: 4, occupancy: { occupied: 1, free: 3, percent: 25 } } },
      { occupancyChanged: { id: lib, name: 'Live Hall', capacity: 4, occupancy: { occupied: 0, free: 4, percent: 0 } } },
    ]);
    sub.unsubscribe();
  });

  it('without libraryId hears every library of its tenant, and only of its tenant', async () => {
    const lib1 = await library(a, 'North');
    const lib2 = await library(a, 'South');
    const libB = await library(b, 'Elsewhere');
    const [s1, s2, sb] = [await student(a, lib1), await student(a, lib2), await student(b, libB)];
    const sub = subscribe(ws(a.ownerToken).client, `subscription { occupancyChanged { name } }`);
    await sleep(200);
    await checkIn(b, sb);
    await checkIn(a, s1);
    await checkIn(a, s2);
    await sub.waitFor(2);
    await sleep(300);
    expect(sub.results.map((r) => r.data?.occupancyChanged.name)).toEqual(['North', 'South']);
  });

  it('an aliased field keeps its alias in every event', async () => {
    const lib = await library(a, 'Alias Hall');
    const s = await student(a, lib);
    const sub = subscribe(ws(a.ownerToken).client, `subscription($id: ID) { seats: occupancyChanged(libraryId: $id) { n: name } }`, { id: lib });
    await sleep(200);
    await checkIn(a, s);
    expect((await sub.waitFor(1))[0].data).toEqual({ seats: { n: 'Alias Hall' } });
  });
});

describe('notificationReceived', () => {
  it('a payment notifies the tenant, with the related student resolved across subgraphs', async () => {
    const lib = await library(a, 'Pay Hall');
    const s = await student(a, lib, 'Kiran');
    const sub = subscribe(ws(a.ownerToken).client, NOTIFICATIONS);
    const subB = subscribe(ws(b.ownerToken).client, NOTIFICATIONS);
    await sleep(200);
    await sys.ok(`mutation($s: ID!) { recordPayment(input: { studentId: $s, amount: 50000, method: UPI }) { id } }`, { s }, { token: a.ownerToken });
    // Notifications come from durable domain events, after the response (the student's own may arrive first).
    const paid = (r: { data?: any }) => r.data?.notificationReceived?.type === 'PAYMENT_RECEIVED'; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
    for (let n = 1; n <= 3 && !sub.results.some(paid); n++) await sub.waitFor(n);
    expect(sub.results.map((r) => r.data?.notificationReceived)).toContainEqual({
      type: 'PAYMENT_RECEIVED',
      title: 'Payment received',
      student: { name: 'Kiran' },
    });
    await sleep(300);
    expect(subB.results).toEqual([]);
  });

  it('a field the role may not read is an error in the event, never silently sent', async () => {
    const staff = await sys.userToken(a, 'staff');
    const lib = await library(a, 'Staff Hall');
    const sub = subscribe(ws(staff).client, `subscription { notificationReceived { type student { name phone } } }`);
    await sleep(200);
    await student(a, lib, 'Private Person');
    const [event] = await sub.waitFor(1);
    expect(event.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(event)).not.toContain('9876543210');
  });
});

describe('connection rules', () => {
  it.each([
    ['no token', {}, 4401],
    ['garbage token', { authorization: 'Bearer nope' }, 4401],
    ['wrong key', { authorization: `Bearer ${jwt.sign({ sub: 'x', role: 'owner' }, 'x'.repeat(40), { issuer: 'studyspot' })}` }, 4401],
  ])('%s closes the socket with %s', async (_name, params, code) => {
    const c = connect(sys.wsUrl, params as Record<string, unknown>);
    open.push(c);
    expect((await c.closed).code).toBe(code);
  });

  it('an expiring token closes the socket when it expires', async () => {
    const claims = jwt.decode(a.ownerToken) as Record<string, unknown>;
    const token = jwt.sign({ sub: claims.sub, role: claims.role, tid: claims.tid, tsl: claims.tsl }, SECRET, { issuer: 'studyspot', expiresIn: 2 });
    const c = ws(token);
    const started = Date.now();
    expect(await c.closed).toEqual({ code: 4401, reason: 'Access token expired' });
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('a suspended tenant is refused, and live sockets are closed when it is suspended', async () => {
    const t = await sys.createTenant('sub-susp');
    const live = ws(t.ownerToken);
    const sub = subscribe(live.client, `subscription { occupancyChanged { name } }`);
    await sleep(200);
    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: t.id }, { token: sys.superToken });
    expect((await live.closed).code).toBe(4403);
    expect(sub.results).toEqual([]);
    const again = ws(t.ownerToken);
    expect(await again.closed).toEqual({ code: 4403, reason: 'Tenant suspended' });
  });

  it('operation limits apply over WebSocket too', async () => {
    const deep = `subscription { notificationReceived { student { messages { student { messages { student { messages { student { messages { student { id } } } } } } } } } } }`;
    const sub = subscribe(ws(a.ownerToken).client, deep);
    await sub.completed;
    expect(JSON.stringify(sub.errors)).toContain('QUERY_TOO_DEEP');
  });

  it('queries and mutations work over the same socket', async () => {
    const c = ws(a.ownerToken);
    const q = subscribe(c.client, `{ tenant { slug } }`);
    await q.completed;
    expect(q.results[0].data).toEqual({ tenant: { slug: 'sub-a' } });
  });
});

/** Heap in use after a full collection (gc exposed at runtime for this measurement). */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose_gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

describe('lifecycle', () => {
  it('subscribing and closing 10,000 times leaves listeners at baseline', async () => {
    const c = ws(a.ownerToken);
    const warm = subscribe(c.client, `subscription { occupancyChanged { id } }`);
    await sleep(200);
    warm.unsubscribe();
    await sleep(100);
    const baseline = { listeners: sys.pubsub.listenerCount(), subs: sys.gateway.activeSubscriptions() };
    const heapBefore = heapAfterGc();
    for (let round = 0; round < 100; round++) {
      const batch = Array.from({ length: 100 }, () => subscribe(c.client, `subscription { occupancyChanged { id } }`));
      await sleep(5);
      batch.forEach((s) => s.unsubscribe());
    }
    for (let i = 0; i < 50 && sys.gateway.activeSubscriptions() > baseline.subs; i++) await sleep(100);
    expect({ listeners: sys.pubsub.listenerCount(), subs: sys.gateway.activeSubscriptions() }).toEqual(baseline);
    expect(heapAfterGc() - heapBefore).toBeLessThan(30 * 1024 * 1024);
  }, 120_000);
});
