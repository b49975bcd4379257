import jwt from 'jsonwebtoken';
import { TEST_PASSWORD, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { connect, sleep, subscribe, type WsConnection } from './helpers/ws';

/** Issue 13 item 6: managers and staff assigned to libraries see and change only those libraries' data. */
let sys: SharedSystem;
let t: TestTenant;
let libA: string;
let libB: string;
let sA: string;
let sB: string;
let pA: string;
let pB: string;
let managerA: string;
let managerAId: string;
let managerAEmail: string;
let staffA: string;
let managerAll: string;
const open: WsConnection[] = [];

const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const db = () => sys.db.tenant(sys.db.tenantDbName(t.slug));
let seq = 0;

async function library(name: string) {
  return (await sys.ok(`mutation($n: String!) { createLibrary(input: { name: $n, capacity: 10 }) { id } }`, { n: name }, { token: t.ownerToken })).createLibrary
    .id as string;
}
async function student(name: string, libraryId: string) {
  return (
    await sys.ok(
      `mutation($n: String!, $l: ID!) { createStudent(input: { name: $n, phone: "9876543210", libraryId: $l }) { id } }`,
      { n: name, l: libraryId },
      { token: t.ownerToken },
    )
  ).createStudent.id as string;
}
async function payment(studentId: string) {
  const r = await sys.ok(
    `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
    { i: { studentId, amount: 150000, method: 'UPI', idempotencyKey: `branch-${++seq}-key` } },
    { token: t.ownerToken },
  );
  return r.recordPayment.id as string;
}
async function user(role: string, libraryIds?: string[], grant?: string[]) {
  const email = `${role}-${++seq}@${t.slug}.test`;
  const r = await sys.ok(
    `mutation($i: CreateUserInput!) { createUser(input: $i) { id libraryIds } }`,
    { i: { email, name: role, password: TEST_PASSWORD, role, ...(libraryIds ? { libraryIds } : {}) } },
    { token: t.ownerToken },
  );
  if (grant)
    await sys.ok(
      `mutation($id: ID!, $g: [String!]) { updateUser(id: $id, input: { grant: $g }) { id } }`,
      { id: r.createUser.id, g: grant },
      { token: t.ownerToken },
    );
  const tokens = await sys.login(email, TEST_PASSWORD, t.slug);
  return { id: r.createUser.id as string, libraryIds: r.createUser.libraryIds as string[], email, ...tokens };
}

beforeAll(async () => {
  sys = await sharedSystem();
  t = await sys.createTenant('branch', { plan: 'professional' });
  libA = await library('Branch A');
  libB = await library('Branch B');
  sA = await student('Asha', libA);
  sB = await student('Bala', libB);
  pA = await payment(sA);
  pB = await payment(sB);
  // Managers have no revenue:read by default: granted, to show the reports are scoped too.
  const m = await user('manager', [libA], ['revenue:read']);
  [managerA, managerAId, managerAEmail] = [m.accessToken, m.id, m.email];
  staffA = (await user('staff', [libA])).accessToken;
  managerAll = (await user('manager')).accessToken;
});
afterAll(async () => {
  for (const c of open) await c.client.dispose();
  await sys?.stop();
});

describe('assigning staff to libraries', () => {
  it('owners assign managers and staff to libraries of the tenant; the access token carries them', async () => {
    const claims = jwt.decode(managerA) as { lib?: string[] };
    expect(claims.lib).toEqual([libA]);
    expect((jwt.decode(t.ownerToken) as { lib?: string[] }).lib).toBeUndefined();
    expect((jwt.decode(managerAll) as { lib?: string[] }).lib).toBeUndefined();
    const users = await sys.ok(`{ users { email libraryIds } }`, {}, { token: t.ownerToken });
    expect(users.users.find((u: { email: string }) => u.email === managerAEmail).libraryIds).toEqual([libA]);
  });

  it('refuses unknown libraries, owners with a branch, and non-owners assigning branches; nothing is written', async () => {
    const before = await db().collection('users').countDocuments();
    const bad = await sys.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email: `x-${++seq}@${t.slug}.test`, name: 'X', password: TEST_PASSWORD, role: 'manager', libraryIds: ['0123456789abcdef01234567'] } },
      { token: t.ownerToken },
    );
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const owner = await sys.gql(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email: `y-${++seq}@${t.slug}.test`, name: 'Y', password: TEST_PASSWORD, role: 'owner', libraryIds: [libA] } },
      { token: t.ownerToken },
    );
    expect(codes(owner)).toEqual(['BAD_USER_INPUT']);
    expect(await db().collection('users').countDocuments()).toBe(before);
    // A manager granted users:update still cannot move anyone's branch.
    const granted = await user('manager');
    await sys.ok(`mutation($id: ID!) { updateUser(id: $id, input: { grant: ["users:update"] }) { id } }`, { id: granted.id }, { token: t.ownerToken });
    const fresh = (await sys.ok(`mutation($r: String!) { refreshToken(token: $r) { accessToken } }`, { r: granted.refreshToken })).refreshToken.accessToken;
    const moved = await sys.gql(
      `mutation($id: ID!, $l: [ID!]) { updateUser(id: $id, input: { libraryIds: $l }) { id } }`,
      { id: managerAId, l: [libB] },
      { token: fresh },
    );
    expect(codes(moved)).toEqual(['FORBIDDEN']);
    expect(
      (await sys.ok(`{ users { id libraryIds } }`, {}, { token: t.ownerToken })).users.find((u: { id: string }) => u.id === managerAId).libraryIds,
    ).toEqual([libA]);
  });
});

describe('a manager of library A', () => {
  const opts = () => ({ token: managerA });

  it('lists and reads only library A: students, libraries, payments, revenue, bookings, attendance', async () => {
    const list = await sys.ok(`{ students { totalCount edges { node { id } } } }`, {}, opts());
    expect(list.students.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([sA]);
    expect(list.students.totalCount).toBe(1);
    expect(codes(await sys.gql(`query($l: ID!) { students(filter: { libraryId: $l }) { edges { node { id } } } }`, { l: libB }, opts()))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await sys.ok(`query($id: ID!) { student(id: $id) { id } }`, { id: sB }, opts())).student).toBeNull();
    expect((await sys.ok(`query($id: ID!) { student(id: $id) { name } }`, { id: sA }, opts())).student.name).toBe('Asha');
    expect((await sys.ok(`{ libraries { id } }`, {}, opts())).libraries).toEqual([{ id: libA }]);
    expect((await sys.ok(`query($id: ID!) { library(id: $id) { id } }`, { id: libB }, opts())).library).toBeNull();
    expect((await sys.ok(`{ payments { id } }`, {}, opts())).payments).toEqual([{ id: pA }]);
    expect((await sys.ok(`query($id: ID!) { payment(id: $id) { id } }`, { id: pB }, opts())).payment).toBeNull();
    const revenue = await sys.ok(`{ revenueSummary { library { id } total } }`, {}, opts());
    expect(revenue.revenueSummary).toEqual([{ library: { id: libA }, total: 150000 }]);
    const report = await sys.ok(`{ revenueReport(groupBy: [LIBRARY]) { library { id } } }`, {}, opts());
    expect(report.revenueReport).toEqual([{ library: { id: libA } }]);
    expect(codes(await sys.gql(`query($l: ID!) { attendance(libraryId: $l) { id } }`, { l: libB }, opts()))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(`query($l: ID!) { seats(libraryId: $l) { number } }`, { l: libB }, opts()))).toEqual(['FORBIDDEN']);
  });

  it('federated fields and _entities sent straight to the subgraphs hide library B', async () => {
    const ents = await sys.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { id name } } }`,
      {
        r: [
          { __typename: 'Student', id: sA },
          { __typename: 'Student', id: sB },
        ],
      },
      { ...opts(), url: sys.subgraphUrls.student },
    );
    expect(ents.data._entities).toEqual([{ id: sA, name: 'Asha' }, null]);
    const pays = await sys.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id amount } ... on Student { payments { id } } } }`,
      {
        r: [
          { __typename: 'Payment', id: pA },
          { __typename: 'Payment', id: pB },
          { __typename: 'Student', id: sB },
        ],
      },
      { ...opts(), url: sys.subgraphUrls.billing },
    );
    // Library B's student is null here as in the student subgraph (billing asks it: core/federation/owned-reference.ts).
    expect(pays.data._entities).toEqual([{ id: pA, amount: 150000 }, null, null]);
    const occ = await sys.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Library { occupancy { occupied } } } }`,
      { r: [{ __typename: 'Library', id: libB, capacity: 10 }] },
      { ...opts(), url: sys.subgraphUrls.student },
    );
    expect(codes(occ)).toEqual(['FORBIDDEN']);
    // The printable invoice and the revenue export of billing's HTTP routes too.
    const billing = sys.subgraphUrls.billing.replace(/\/graphql$/, '');
    const get = (path: string) => fetch(`${billing}${path}`, { headers: { authorization: `Bearer ${managerA}` } });
    expect((await get(`/invoices/${pB}.html`)).status).toBe(404);
    expect((await get(`/invoices/${pA}.html`)).status).toBe(200);
    const csv = await (await get('/exports/revenue.csv')).text();
    expect(csv).toContain(libA);
    expect(csv).not.toContain(libB);
    // Through the gateway: the student's payments are its library's only.
    const st = await sys.ok(`query($id: ID!) { student(id: $id) { payments { id } } }`, { id: sA }, opts());
    expect(st.student.payments).toEqual([{ id: pA }]);
  });

  it('cannot update, delete, check in, enrol, book or take payments in library B; nothing changes', async () => {
    const upd = await sys.gql(`mutation($id: ID!) { updateStudent(id: $id, input: { name: "Hacked" }) { id } }`, { id: sB }, opts());
    expect(codes(upd)).toEqual(['FORBIDDEN']);
    const move = await sys.gql(`mutation($id: ID!, $l: ID!) { updateStudent(id: $id, input: { libraryId: $l }) { id } }`, { id: sA, l: libB }, opts());
    expect(codes(move)).toEqual(['FORBIDDEN']);
    const del = await sys.gql(`mutation($id: ID!) { deleteStudent(id: $id) }`, { id: sB }, opts());
    expect(codes(del)).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: sB }, { token: staffA }))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(`mutation($s: ID!) { checkOut(studentId: $s) { id } }`, { s: sB }, opts()))).toEqual(['FORBIDDEN']);
    expect(
      codes(await sys.gql(`mutation($l: ID!) { createStudent(input: { name: "New", phone: "9876543210", libraryId: $l }) { id } }`, { l: libB }, opts())),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await sys.gql(
          `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id } }`,
          { i: { studentId: sA, libraryId: libB, seatNumber: 1, date: '2030-02-01' } },
          opts(),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const pay = await sys.gql(
      `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
      { i: { studentId: sB, amount: 100, method: 'CASH', idempotencyKey: 'branch-b-steal' } },
      opts(),
    );
    expect(codes(pay)).toEqual(['NOT_FOUND']); // another branch's student is invisible to billing's lookup

    const b = await db().collection('students').findOne({ name: 'Bala' });
    expect(b).not.toBeNull();
    expect(await db().collection('students').countDocuments({ name: 'Hacked' })).toBe(0);
    expect(String(b!.libraryId)).toBe(libB);
    expect(await db().collection('attendance').countDocuments({})).toBe(0);
    expect(await db().collection('students').countDocuments({})).toBe(2);
    expect(await db().collection('bookings').countDocuments({})).toBe(0);
    expect(await db().collection('payments').countDocuments({})).toBe(2);
  });

  it('works normally in library A (staff checks in, manager books and updates)', async () => {
    await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: sA }, { token: staffA });
    const att = await sys.ok(`{ attendance { student { id } } }`, {}, opts());
    expect(att.attendance).toEqual([{ student: { id: sA } }]);
    await sys.ok(`mutation($s: ID!) { checkOut(studentId: $s) { id } }`, { s: sA }, { token: staffA });
    await sys.ok(
      `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id } }`,
      { i: { studentId: sA, libraryId: libA, seatNumber: 2, date: '2030-02-01' } },
      opts(),
    );
    expect((await sys.ok(`{ bookings { student { id } } }`, {}, opts())).bookings).toEqual([{ student: { id: sA } }]);
    await sys.ok(`mutation($id: ID!) { updateStudent(id: $id, input: { name: "Asha K" }) { id } }`, { id: sA }, opts());
  });
});

describe('owners and unassigned staff see every library', () => {
  it.each([
    ['owner', () => t.ownerToken],
    ['unassigned manager', () => managerAll],
  ])('%s', async (_who, token) => {
    const list = await sys.ok(`{ students { edges { node { id } } } }`, {}, { token: token() });
    expect(list.students.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([sA, sB].sort());
    expect((await sys.ok(`{ payments { id } }`, {}, { token: token() })).payments.map((p: { id: string }) => p.id).sort()).toEqual([pA, pB].sort());
    expect((await sys.ok(`{ libraries { id } }`, {}, { token: token() })).libraries).toHaveLength(2);
    expect((await sys.ok(`query($id: ID!) { student(id: $id) { id } }`, { id: sB }, { token: token() })).student).toEqual({ id: sB });
  });
});

describe('changing an assignment', () => {
  it('applies at the next refresh; an empty list means every library', async () => {
    const m = await user('manager', [libA]);
    await sys.ok(
      `mutation($id: ID!, $l: [ID!]) { updateUser(id: $id, input: { libraryIds: $l }) { libraryIds } }`,
      { id: m.id, l: [libB] },
      { token: t.ownerToken },
    );
    const next = (await sys.ok(`mutation($r: String!) { refreshToken(token: $r) { accessToken refreshToken } }`, { r: m.refreshToken })).refreshToken;
    expect((jwt.decode(next.accessToken) as { lib?: string[] }).lib).toEqual([libB]);
    const ids = async (token: string) =>
      (await sys.ok(`{ students { edges { node { id } } } }`, {}, { token })).students.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(await ids(next.accessToken)).toEqual([sB]);
    await sys.ok(`mutation($id: ID!) { updateUser(id: $id, input: { libraryIds: [] }) { libraryIds } }`, { id: m.id }, { token: t.ownerToken });
    const all = (await sys.ok(`mutation($r: String!) { refreshToken(token: $r) { accessToken } }`, { r: next.refreshToken })).refreshToken;
    expect((jwt.decode(all.accessToken) as { lib?: string[] }).lib).toBeUndefined();
    expect((await ids(all.accessToken)).sort()).toEqual([sA, sB].sort());
  });
});

describe('occupancy subscriptions of a scoped manager', () => {
  const ws = (token: string) => {
    const c = connect(sys.wsUrl, { authorization: `Bearer ${token}` });
    open.push(c);
    return c;
  };

  it('hears only its libraries; naming another library is FORBIDDEN', async () => {
    const refused = subscribe(ws(managerA).client, `subscription($l: ID) { occupancyChanged(libraryId: $l) { id } }`, { l: libB });
    await refused.completed;
    expect(JSON.stringify(refused.errors)).toContain('FORBIDDEN');

    const mine = subscribe(ws(managerA).client, `subscription { occupancyChanged { id occupancy { occupied } } }`);
    const owner = subscribe(ws(t.ownerToken).client, `subscription { occupancyChanged { id } }`);
    await sleep(200);
    await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: sB }, { token: t.ownerToken });
    await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: sA }, { token: t.ownerToken });
    await owner.waitFor(2);
    await mine.waitFor(1);
    await sleep(300);
    expect(mine.results.map((r) => r.data)).toEqual([{ occupancyChanged: { id: libA, occupancy: { occupied: 1 } } }]);
    expect(owner.results.map((r) => r.data?.occupancyChanged.id)).toEqual([libB, libA]);
    // Occupancy over HTTP: its own library only.
    const occ = await sys.ok(`{ libraries { id occupancy { occupied } } }`, {}, { token: managerA });
    expect(occ.libraries).toEqual([{ id: libA, occupancy: { occupied: 1 } }]);
    mine.unsubscribe();
    owner.unsubscribe();
  });
});
