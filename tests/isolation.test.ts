import { randomKey, seedTenantData, type TenantData } from './helpers/fixtures';
import { expectNoLeaks, snapshotTenant } from './helpers/snapshot';
import { TEST_PASSWORD, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';

let sys: SharedSystem;
let a: TestTenant;
let aData: TenantData;
let b: TestTenant;
let bData: TenantData;

beforeAll(async () => {
  sys = await sharedSystem();
  a = await sys.createTenant('iso-a');
  aData = await seedTenantData(sys, a);
  b = await sys.createTenant('iso-b');
  bData = await seedTenantData(sys, b);
});
afterAll(() => sys?.stop());

describe("tenant B's token against tenant A's ids", () => {
  const reads: [string, (d: TenantData) => Record<string, unknown>][] = [
    ['query($id: ID!) { student(id: $id) { name } }', (d) => ({ id: d.studentId })],
    ['query($id: ID!) { library(id: $id) { name } }', (d) => ({ id: d.libraryId })],
    ['query($id: ID!) { payment(id: $id) { amount } }', (d) => ({ id: d.paymentId })],
    ['query($id: ID!) { bookings(studentId: $id) { id } }', (d) => ({ id: d.studentId })],
    ['query($id: ID!) { attendance(studentId: $id) { id } }', (d) => ({ id: d.studentId })],
    ['query($id: ID!) { payments(filter: { studentId: $id }) { id } }', (d) => ({ id: d.studentId })],
    ['query($id: ID!) { messages(studentId: $id) { id } }', (d) => ({ id: d.studentId })],
    ['query($id: ID!) { students(filter: { libraryId: $id }) { totalCount } }', (d) => ({ id: d.libraryId })],
  ];

  it.each(reads)('%s reads nothing of A', async (query, vars) => {
    const res = await sys.gql(query, vars(aData), { token: b.ownerToken });
    expectNoLeaks(res.errors);
    const text = JSON.stringify(res.data);
    expect(text).not.toContain('iso-a');
    const value = Object.values(res.data ?? {})[0] as unknown;
    if (Array.isArray(value)) expect(value).toEqual([]);
    else if (value && typeof value === 'object' && 'totalCount' in value) expect(value).toEqual({ totalCount: 0 });
    else expect(value ?? null).toBeNull();
  });

  const writes: [string, (d: TenantData) => Record<string, unknown>][] = [
    ['mutation($id: ID!) { updateStudent(id: $id, input: { name: "pwned" }) { id } }', (d) => ({ id: d.studentId })],
    ['mutation($id: ID!) { deleteStudent(id: $id) }', (d) => ({ id: d.studentId })],
    ['mutation($id: ID!) { checkOut(studentId: $id) { id } }', (d) => ({ id: d.studentId })],
    ['mutation($id: ID!) { checkIn(studentId: $id) { id } }', (d) => ({ id: d.studentId })],
    ['mutation($id: ID!) { cancelBooking(id: $id) { id } }', (d) => ({ id: d.bookingId })],
    [
      'mutation($s: ID!, $l: ID!) { bookSeat(input: { studentId: $s, libraryId: $l, seatNumber: 9, date: "2026-12-02" }) { id } }',
      (d) => ({ s: d.studentId, l: d.libraryId }),
    ],
    ['mutation($id: ID!) { updateLibrary(id: $id, input: { name: "pwned" }) { id } }', (d) => ({ id: d.libraryId })],
    ['mutation($l: ID!) { createStudent(input: { name: "x", phone: "9999999999", libraryId: $l }) { id } }', (d) => ({ l: d.libraryId })],
    [
      'mutation($s: ID!, $k: String) { recordPayment(input: { studentId: $s, amount: 100, method: CASH, idempotencyKey: $k }) { id } }',
      (d) => ({ s: d.studentId, k: randomKey() }),
    ],
    ['mutation($s: ID!) { sendMessage(input: { studentId: $s, channel: SMS, body: "hello" }) { id } }', (d) => ({ s: d.studentId })],
    ['mutation($id: ID!) { sendMessage(input: { studentId: $id, channel: SMS, templateId: $id }) { id } }', (d) => ({ id: d.templateId })],
  ];

  it.each(writes)('%s changes nothing in A (NOT_FOUND)', async (query, vars) => {
    const before = await snapshotTenant(sys, a.slug);
    const res = await sys.gql(query, vars(aData), { token: b.ownerToken });
    expectNoLeaks(res.errors);
    expect(res.errors?.[0]?.extensions?.code).toMatch(/NOT_FOUND|BAD_USER_INPUT/);
    expect(await snapshotTenant(sys, a.slug)).toEqual(before);
  });

  it('markNotificationRead with a foreign id is NOT_FOUND', async () => {
    const list = await sys.ok(`{ notifications { id } }`, {}, { token: a.ownerToken });
    const id = list.notifications[0]?.id ?? aData.messageId;
    const res = await sys.gql(`mutation($id: ID!) { markNotificationRead(id: $id) { id } }`, { id }, { token: b.ownerToken });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it("B's own data is still B's", async () => {
    const res = await sys.ok(`query($id: ID!) { student(id: $id) { name } }`, { id: bData.studentId }, { token: b.ownerToken });
    expect(res.student.name).toBe('Student iso-b');
  });
});

describe('role × field permissions', () => {
  // [query, owner, manager, staff, support (platform, via x-tenant)]
  const matrix: [string, string, string, string, string][] = [
    ['{ students { edges { node { name } } } }', 'ok', 'ok', 'ok', 'ok'],
    ['{ students { edges { node { phone parentPhone } } } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ students { edges { node { idProof { number } } } } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ payments { amount } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ students { edges { node { payments { amount } } } } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ revenueSummary { total } }', 'ok', 'FORBIDDEN', 'FORBIDDEN', 'ok'],
    ['{ wallet { sms } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ wallet { rates { sms } } }', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'],
    ['{ libraries { occupancy { occupied } } }', 'ok', 'ok', 'ok', 'ok'],
    ['{ users { email } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ messages { body } }', 'ok', 'ok', 'FORBIDDEN', 'ok'],
    ['{ tenants { slug } }', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'ok'],
  ];
  let tokens: Record<string, { token: string; tenant?: string }>;
  beforeAll(async () => {
    await upsertPlatformUser(sys.db, { email: 'support@studyspot.test', name: 'Support', password: TEST_PASSWORD, role: 'support' });
    tokens = {
      owner: { token: a.ownerToken },
      manager: { token: await sys.userToken(a, 'manager') },
      staff: { token: await sys.userToken(a, 'staff') },
      support: { token: (await sys.login('support@studyspot.test', TEST_PASSWORD)).accessToken, tenant: a.slug },
    };
  });

  it.each(matrix)('%s → owner %s, manager %s, staff %s, support %s', async (query, ...expected) => {
    const roles = ['owner', 'manager', 'staff', 'support'];
    const got: string[] = [];
    for (const role of roles) {
      const res = await sys.gql(query, {}, tokens[role]);
      expectNoLeaks(res.errors);
      got.push(res.errors?.length ? String(res.errors[0].extensions?.code) : 'ok');
    }
    expect(got).toEqual(expected);
  });

  it('a denied field does not stop the allowed ones: staff still get names', async () => {
    const res = await sys.gql('{ students { edges { node { name payments { amount } } } } }', {}, tokens.staff);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.data?.students.edges[0].node.name).toBe('Student iso-a');
    expect(JSON.stringify(res.data)).not.toContain('250000');
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['malformed id', 'query($id: ID!) { student(id: $id) { name } }', { id: 'abc' }, 'BAD_USER_INPUT'],
    ['malformed id in a mutation', 'mutation($id: ID!) { deleteStudent(id: $id) }', { id: "'; drop" }, 'BAD_USER_INPUT'],
    ['wrong type (variable)', 'mutation($c: Int!) { createLibrary(input: { name: "X", capacity: $c }) { id } }', { c: 'ten' }, 'BAD_USER_INPUT'],
    ['wrong type (inline)', 'mutation { createLibrary(input: { name: "X", capacity: "ten" }) { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'over-long string',
      'mutation($n: String!, $l: ID!) { createStudent(input: { name: $n, phone: "9999999999", libraryId: $l }) { id } }',
      { n: 'x'.repeat(10_000), l: '' },
      'BAD_USER_INPUT',
    ],
    ['operator object in a filter', 'query($s: String) { students(filter: { search: $s }) { totalCount } }', { s: { $ne: null } }, 'BAD_USER_INPUT'],
    ['operator object as an id', 'query($id: ID!) { student(id: $id) { name } }', { id: { $gt: '' } }, 'BAD_USER_INPUT'],
    [
      'operator object in login',
      'mutation($e: String!) { login(input: { email: $e, password: "x" }) { accessToken } }',
      { e: { $ne: null } },
      'BAD_USER_INPUT',
    ],
    ['negative amount', 'mutation($s: ID!) { recordPayment(input: { studentId: $s, amount: -5, method: CASH }) { id } }', { s: '' }, 'BAD_USER_INPUT'],
    ['unknown field', '{ students { edges { node { password } } } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
  ];

  it.each(cases)('%s', async (_name, query, vars, code) => {
    const v = Object.fromEntries(Object.entries(vars).map(([k, val]) => [k, val === '' ? (k === 'l' ? aData.libraryId : aData.studentId) : val]));
    const before = await snapshotTenant(sys, a.slug);
    const res = await sys.gql(query, v, { token: a.ownerToken });
    expect(res.errors?.[0]?.extensions?.code).toBe(code);
    expect(res.errors?.[0]?.message.length).toBeGreaterThan(5);
    expectNoLeaks(res.errors);
    expect(await snapshotTenant(sys, a.slug)).toEqual(before);
  });

  it('validation messages name the field', async () => {
    const res = await sys.gql(
      'mutation($l: ID!) { createStudent(input: { name: "", phone: "12", libraryId: $l }) { id } }',
      { l: aData.libraryId },
      { token: a.ownerToken },
    );
    expect(res.errors?.[0].message).toMatch(/name/);
    expect(res.errors?.[0].message).toMatch(/phone/);
  });
});
