import jwt from 'jsonwebtoken';
import { parse } from 'graphql';
import { signAccessToken, type AccessClaims } from '../core/auth/tokens';
import { createServer as createGateway } from '../gateway';
import { groupKey, type GroupFacts } from '../gateway/subscriptions/multiplex';
import { testSupergraph } from './helpers/supergraph';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, sleep, subscribe, type Subscription, type WsConnection } from './helpers/ws';

// Multiplexed subscriptions (gateway/subscriptions/multiplex.ts): one payload
// execution per event for each group of equal subscribers, and never a payload
// computed for one permission set, user or tenant sent to another.
let sys: System;
let a: TestTenant;
let b: TestTenant;
const SECRET = 'test-secret-test-secret-test-secret-000';
const open = new Set<WsConnection>();

const OCCUPANCY = `subscription($id: ID) { occupancyChanged(libraryId: $id) { name occupancy { occupied } } }`;

function ws(token: string): WsConnection {
  const c = connect(sys.wsUrl, { authorization: `Bearer ${token}` });
  open.add(c);
  return c;
}
async function closeAll(): Promise<void> {
  for (const c of open) await c.client.dispose();
  open.clear();
  await until(() => sys.gateway.subscriptionGroups().groups === 0 && sys.gateway.activeSubscriptions() === 0);
}
async function until(done: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}
/** Waits until the gateway holds `n` live subscriptions (all subscribes processed). */
const active = (n: number) => until(() => sys.gateway.activeSubscriptions() === n);

async function library(t: TestTenant, name: string): Promise<string> {
  return (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 50 } }, { token: t.ownerToken }))
    .createLibrary.id;
}
async function student(t: TestTenant, libraryId: string, name = 'Meera'): Promise<string> {
  return (
    await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name, phone: '9123456780', libraryId } },
      { token: t.ownerToken },
    )
  ).createStudent.id;
}
const checkIn = (t: TestTenant, s: string) => sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s }, { token: t.ownerToken });
const checkOut = (t: TestTenant, s: string) => sys.ok(`mutation($s: ID!) { checkOut(studentId: $s) { id } }`, { s }, { token: t.ownerToken });

/** A token for the same user as `token`, with claims changed (signed with the test key, as login would). */
function resign(token: string, change: Partial<AccessClaims>, ttl = 900): string {
  const c = jwt.decode(token) as AccessClaims;
  return signAccessToken({ sub: c.sub, role: c.role, tid: c.tid, tsl: c.tsl, ...change }, SECRET, ttl);
}

beforeAll(async () => {
  sys = await startSystem();
  a = await sys.createTenant('mux-a', { plan: 'enterprise' }); // room for one library per test
  b = await sys.createTenant('mux-b', { plan: 'professional' });
});
afterEach(() => closeAll());
afterAll(async () => {
  await closeAll().catch(() => undefined);
  await sys?.stop();
});

describe('grouping', () => {
  it('equal subscribers share one group: one execution per event, every member gets it once', async () => {
    const lib = await library(a, 'Shared Hall');
    const s = await student(a, lib);
    const owners = [a.ownerToken, await sys.userToken(a, 'owner'), await sys.userToken(a, 'owner')];
    const staff = [await sys.userToken(a, 'staff'), await sys.userToken(a, 'staff')];
    const subs = [...owners, ...staff].map((t) => subscribe(ws(t).client, OCCUPANCY, { id: lib }));
    await active(5);
    // Distinct users, one group per permission set: owners and staff.
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 2, members: 5 });
    const before = sys.gateway.subscriptionGroups().executions;
    await checkIn(a, s);
    // The payload is read when the event is executed: let the check-in's land before the check-out.
    for (const sub of subs) await sub.waitFor(1);
    await checkOut(a, s);
    for (const sub of subs) await sub.waitFor(2);
    await sleep(300);
    expect(sys.gateway.subscriptionGroups().executions - before).toBe(2 * 2); // 2 events × 2 groups
    for (const sub of subs) {
      expect(sub.results.map((r) => r.data)).toEqual([
        { occupancyChanged: { name: 'Shared Hall', occupancy: { occupied: 1 } } },
        { occupancyChanged: { name: 'Shared Hall', occupancy: { occupied: 0 } } },
      ]);
    }
  });

  it('the document is normalised and unused variables ignored; other variables or names are other groups', async () => {
    const lib = await library(a, 'Norm Hall');
    const other = await library(a, 'Other Hall');
    const s = await student(a, lib);
    const c = ws(a.ownerToken).client;
    const same = [
      subscribe(c, OCCUPANCY, { id: lib }),
      subscribe(c, `subscription($id: ID)   {\n occupancyChanged(libraryId: $id) { name, occupancy { occupied } } }`, { id: lib, unused: 1 }),
    ];
    const elsewhere = subscribe(c, OCCUPANCY, { id: other });
    const named = subscribe(c, `subscription Named($id: ID) { occupancyChanged(libraryId: $id) { name occupancy { occupied } } }`, { id: lib });
    await active(4);
    expect(sys.gateway.subscriptionGroups()).toEqual(expect.objectContaining({ groups: 3, members: 4 }));
    const before = sys.gateway.subscriptionGroups().executions;
    await checkIn(a, s);
    for (const sub of [...same, named]) expect((await sub.waitFor(1))[0].data?.occupancyChanged.name).toBe('Norm Hall');
    await sleep(300);
    expect(elsewhere.results).toEqual([]); // its variables select another library: never the group's events
    // Two groups executed; the other library's group filtered the event out without executing.
    expect(sys.gateway.subscriptionGroups().executions - before).toBe(2);
    await checkOut(a, s);
  });
});

describe('permissions are never shared', () => {
  it('two roles on the same document and variables each receive only their permitted fields', async () => {
    const lib = await library(a, 'Roles Hall');
    const query = `subscription { notificationReceived { type student { name phone } } }`;
    const owner = subscribe(ws(a.ownerToken).client, query);
    const staff = subscribe(ws(await sys.userToken(a, 'staff')).client, query);
    await active(2);
    await student(a, lib, 'Tara Private');
    const [own] = await owner.waitFor(1);
    const [low] = await staff.waitFor(1);
    expect(own.errors).toBeUndefined();
    expect(own.data?.notificationReceived).toEqual({ type: 'STUDENT_CREATED', student: { name: 'Tara Private', phone: '9123456780' } });
    expect(low.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(low)).not.toContain('9123456780');
  });

  it('a lower permission set (a revoked permission) never receives the richer group payload', async () => {
    const lib = await library(a, 'Revoked Hall');
    const s = await student(a, lib);
    const manager = await sys.userToken(a, 'manager');
    // Same role as a plain manager, but without libraries:read: Library.name is FORBIDDEN to it.
    const revoked = resign(manager, { role: 'manager', prm: { r: ['libraries:read'] } });
    const full = subscribe(ws(manager).client, OCCUPANCY, { id: lib });
    const low = subscribe(ws(revoked).client, OCCUPANCY, { id: lib });
    await active(2);
    expect(sys.gateway.subscriptionGroups().groups).toBe(2);
    await checkIn(a, s);
    const [rich] = await full.waitFor(1);
    const [poor] = await low.waitFor(1);
    expect(rich.data).toEqual({ occupancyChanged: { name: 'Revoked Hall', occupancy: { occupied: 1 } } });
    expect(poor.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(poor)).not.toContain('Revoked Hall');
    await checkOut(a, s);
  });

  it('a branch-scoped manager (token claim lib) is in another group than an unscoped manager', async () => {
    const libA = await library(a, 'Branch A');
    const s = await student(a, libA);
    const manager = await sys.userToken(a, 'manager');
    const scoped = resign(await sys.userToken(a, 'manager'), { role: 'manager', lib: [libA] });
    const sameScope = resign(await sys.userToken(a, 'manager'), { role: 'manager', lib: [libA] });
    const query = `subscription { occupancyChanged { name } }`;
    const subs = [manager, scoped, sameScope].map((t) => subscribe(ws(t).client, query));
    await active(3);
    // Unscoped manager alone; the two managers with the same branch scope together.
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 2, members: 3 });
    const before = sys.gateway.subscriptionGroups().executions;
    await checkIn(a, s);
    for (const sub of subs) expect((await sub.waitFor(1))[0].data).toEqual({ occupancyChanged: { name: 'Branch A' } });
    expect(sys.gateway.subscriptionGroups().executions - before).toBe(2);
    await checkOut(a, s);
  });

  it('per-user payloads (notifications) are grouped per user, never across users', async () => {
    const u1 = await sys.userToken(a, 'staff');
    const u2 = await sys.userToken(a, 'staff');
    const query = `subscription { notificationReceived { type } }`;
    const c1 = ws(u1).client;
    subscribe(c1, query);
    subscribe(c1, query);
    subscribe(ws(u1).client, query);
    subscribe(ws(u2).client, query);
    await active(4);
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 2, members: 4 });
  });

  it('identical documents in two tenants are never merged: each hears only its own events', async () => {
    const [libA, libB] = [await library(a, 'Twin A'), await library(b, 'Twin B')];
    const [sA, sB] = [await student(a, libA), await student(b, libB)];
    const query = `subscription { occupancyChanged { name occupancy { occupied } } }`;
    const inA: Subscription[] = [subscribe(ws(a.ownerToken).client, query), subscribe(ws(await sys.userToken(a, 'owner')).client, query)];
    const inB: Subscription[] = [subscribe(ws(b.ownerToken).client, query), subscribe(ws(await sys.userToken(b, 'owner')).client, query)];
    await active(4);
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 2, members: 4 });
    await checkIn(a, sA);
    await checkIn(b, sB);
    for (const s of inA) await s.waitFor(1);
    for (const s of inB) await s.waitFor(1);
    await sleep(300);
    for (const s of inA) expect(s.results.map((r) => r.data)).toEqual([{ occupancyChanged: { name: 'Twin A', occupancy: { occupied: 1 } } }]);
    for (const s of inB) expect(s.results.map((r) => r.data)).toEqual([{ occupancyChanged: { name: 'Twin B', occupancy: { occupied: 1 } } }]);
    await checkOut(a, sA);
    await checkOut(b, sB);
  });
});

describe('membership', () => {
  it('a member whose token expires is closed (4401) and leaves; the group keeps serving the others', async () => {
    const lib = await library(a, 'Expiry Hall');
    const s = await student(a, lib);
    // The expiring member joins first, so it is the one the group executes as.
    const expiring = ws(resign(a.ownerToken, {}, 2));
    const short = subscribe(expiring.client, OCCUPANCY, { id: lib });
    await active(1);
    const stays = subscribe(ws(await sys.userToken(a, 'owner')).client, OCCUPANCY, { id: lib });
    await active(2);
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 1, members: 2 });
    expect(await expiring.closed).toEqual({ code: 4401, reason: 'Access token expired' });
    await until(() => sys.gateway.subscriptionGroups().members === 1);
    expect(sys.gateway.subscriptionGroups().groups).toBe(1);
    await checkIn(a, s);
    expect((await stays.waitFor(1))[0].data).toEqual({ occupancyChanged: { name: 'Expiry Hall', occupancy: { occupied: 1 } } });
    expect(short.results).toEqual([]);
    await checkOut(a, s);
  });

  it('a group whose last member leaves is released with its listener', async () => {
    const lib = await library(a, 'Release Hall');
    const listeners = sys.pubsub.listenerCount();
    const c1 = ws(a.ownerToken);
    const c2 = ws(await sys.userToken(a, 'owner'));
    const s1 = subscribe(c1.client, OCCUPANCY, { id: lib });
    const s2 = subscribe(c2.client, OCCUPANCY, { id: lib });
    await active(2);
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 1, members: 2 });
    expect(sys.pubsub.listenerCount()).toBe(listeners + 1); // one listener for the whole group
    s1.unsubscribe();
    await until(() => sys.gateway.subscriptionGroups().members === 1);
    expect(sys.gateway.subscriptionGroups().groups).toBe(1);
    s2.unsubscribe();
    await until(() => sys.gateway.subscriptionGroups().groups === 0);
    expect(sys.pubsub.listenerCount()).toBe(listeners);
    // Subscribing and leaving many times over leaves nothing behind.
    for (let i = 0; i < 20; i++) {
      const batch = [subscribe(c1.client, OCCUPANCY, { id: lib }), subscribe(c2.client, OCCUPANCY, { id: lib })];
      await sleep(5);
      batch.forEach((x) => x.unsubscribe());
    }
    await until(() => sys.gateway.activeSubscriptions() === 0);
    expect(sys.gateway.subscriptionGroups()).toMatchObject({ groups: 0, members: 0 });
    expect(sys.pubsub.listenerCount()).toBe(listeners);
  });

  it('a member that joins after an event was published does not receive it', async () => {
    const lib = await library(a, 'Late Hall');
    const s = await student(a, lib);
    const early = subscribe(ws(a.ownerToken).client, OCCUPANCY, { id: lib });
    await active(1);
    await checkIn(a, s);
    await early.waitFor(1);
    const late = subscribe(ws(await sys.userToken(a, 'owner')).client, OCCUPANCY, { id: lib });
    await active(2);
    await checkOut(a, s);
    await early.waitFor(2);
    expect((await late.waitFor(1)).map((r) => r.data?.occupancyChanged.occupancy.occupied)).toEqual([0]);
    await sleep(200);
    expect(late.results).toHaveLength(1);
  });

  it('tenant suspension closes every member of its groups (4403)', async () => {
    const t = await sys.createTenant('mux-susp');
    const lib = await library(t, 'Suspended Hall');
    const c1 = ws(t.ownerToken);
    const c2 = ws(await sys.userToken(t, 'owner'));
    subscribe(c1.client, OCCUPANCY, { id: lib });
    subscribe(c2.client, OCCUPANCY, { id: lib });
    await active(2);
    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: t.id }, { token: sys.superToken });
    expect((await c1.closed).code).toBe(4403);
    expect((await c2.closed).code).toBe(4403);
    await until(() => sys.gateway.subscriptionGroups().groups === 0);
  });
});

describe('SUBSCRIPTION_MULTIPLEX=off (for the benchmark comparison)', () => {
  it('every subscriber is its own group, executed once per event each', async () => {
    const off = await createGateway(
      { ...sys.config, subgraphUrls: sys.subgraphUrls, subscriptions: { ...sys.config.subscriptions, multiplex: false } },
      { supergraphSdl: await testSupergraph(), pubsub: sys.pubsub },
    );
    try {
      const lib = await library(a, 'Solo Hall');
      const s = await student(a, lib);
      const url = off.url.replace(/^http/, 'ws');
      const conns = [a.ownerToken, await sys.userToken(a, 'owner'), await sys.userToken(a, 'owner')].map((t) => connect(url, { authorization: `Bearer ${t}` }));
      const subs = conns.map((c) => subscribe(c.client, OCCUPANCY, { id: lib }));
      await until(() => off.activeSubscriptions() === 3);
      expect(off.subscriptionGroups()).toMatchObject({ groups: 3, members: 3, executions: 0 });
      await checkIn(a, s);
      for (const sub of subs) expect((await sub.waitFor(1))[0].data).toEqual({ occupancyChanged: { name: 'Solo Hall', occupancy: { occupied: 1 } } });
      expect(off.subscriptionGroups().executions).toBe(3);
      for (const c of conns) await c.client.dispose();
      await until(() => off.subscriptionGroups().groups === 0);
      await checkOut(a, s);
    } finally {
      await off.stop();
    }
  });
});

describe('groupKey: every permission fact the token carries', () => {
  const base: GroupFacts = {
    tenantId: 't1',
    document: parse(OCCUPANCY),
    variables: { id: 'L1' },
    operationName: null,
    auth: { sub: 'u1', role: 'manager', tid: 't1' },
    perUser: false,
  };
  const key = (change: Partial<GroupFacts>, auth: Partial<AccessClaims> = {}) => groupKey({ ...base, ...change, auth: { ...base.auth, ...auth } });

  it('ignores who the user is, key order of variables, and lib order', () => {
    expect(key({}, { sub: 'u2' })).toBe(key({}));
    expect(key({ variables: { id: 'L1' } }, { lib: ['b', 'a'] })).toBe(key({}, { lib: ['a', 'b'] }));
  });

  it.each<[string, Partial<GroupFacts>, Partial<AccessClaims>]>([
    ['tenant', { tenantId: 't2' }, {}],
    ['variables', { variables: { id: 'L2' } }, {}],
    ['operation name', { operationName: 'X' }, {}],
    ['role', {}, { role: 'staff' }],
    ['a granted permission', {}, { prm: { g: ['payments:refund'] } }],
    ['a revoked permission', {}, { prm: { r: ['libraries:read'] } }],
    ['branch scope', {}, { lib: ['a'] }],
    ['an empty branch scope (sees nothing) vs none (sees all)', {}, { lib: [] }],
  ])('splits on %s', (_name, change, auth) => {
    expect(key(change, auth)).not.toBe(key({}));
  });

  it('splits partners by scopes, and per-user routes by user', () => {
    const partner = (scp: string[]) => key({}, { role: 'partner', scp });
    expect(partner(['libraries:read', 'attendance:read'])).not.toBe(partner(['libraries:read']));
    expect(key({ perUser: true }, { sub: 'u2' })).not.toBe(key({ perUser: true }));
    expect(key({ perUser: true })).toBe(key({ perUser: true }));
  });
});
