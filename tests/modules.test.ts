import { startSystem, type System, type TestTenant } from './helpers/system';
import { connect, sleep, subscribe, type WsConnection } from './helpers/ws';

/** Issue 13 item 5: a module switched off (or missing from the plan) is refused everywhere with MODULE_DISABLED. */
let sys: System;
let t: TestTenant;
let libraryId: string;
let studentId: string;
let paymentId: string;
const open: WsConnection[] = [];

const MODULES = `mutation($i: TenantModulesInput!) { setTenantModules(input: $i) { modules { attendance payments messaging bookings analytics } } }`;
const RECORD = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id amount } }`;
const CHECK_IN = `mutation($s: ID!) { checkIn(studentId: $s) { id } }`;
const CHECK_OUT = `mutation($s: ID!) { checkOut(studentId: $s) { id } }`;
let keySeq = 0;
const pay = (token: string, extra: Record<string, string> = {}) =>
  sys.gql(RECORD, { i: { studentId, amount: 1000, method: 'CASH', idempotencyKey: `modules-${++keySeq}` } }, { token, ...extra });
const setModules = (i: Record<string, boolean>, token = t.ownerToken) => sys.ok(MODULES, { i }, { token });
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
const db = () => sys.db.tenant(sys.db.tenantDbName(t.slug));
const paymentCount = async () => db().collection('payments').countDocuments();

beforeAll(async () => {
  // Automations on (production default), without providers: a send is attempted and recorded.
  sys = await startSystem({}, { messaging: { automation: { defaultsOn: true } } });
  t = await sys.createTenant('mod-a', { plan: 'professional', modules: 'plan' });
  const opts = { token: t.ownerToken };
  libraryId = (await sys.ok(`mutation { createLibrary(input: { name: "Mod Hall", capacity: 10 }) { id } }`, {}, opts)).createLibrary.id;
  studentId = (await sys.ok(`mutation($l: ID!) { createStudent(input: { name: "Mira", phone: "9876543210", libraryId: $l }) { id } }`, { l: libraryId }, opts))
    .createStudent.id;
  const first = await pay(t.ownerToken);
  if (!first.data?.recordPayment) throw new Error(JSON.stringify(first));
  paymentId = first.data.recordPayment.id;
});
afterAll(async () => {
  for (const c of open) await c.client.dispose();
  await sys?.stop();
});

describe('modules over HTTP', () => {
  it('payments off: writes, reads, federated fields and _entities are refused with MODULE_DISABLED; on again: they work', async () => {
    const before = await paymentCount();
    await setModules({ payments: false });

    const write = await pay(t.ownerToken);
    expect(codes(write)).toEqual(['MODULE_DISABLED']);
    expect(write.errors![0].message).toContain('payments');
    expect(write.errors![0].extensions).toMatchObject({ errorCode: 4006, module: 'payments' });
    expect(await paymentCount()).toBe(before);

    expect(codes(await sys.gql(`{ payments { id } }`, {}, { token: t.ownerToken }))).toEqual(['MODULE_DISABLED']);
    // The student arrives; only its payments (billing's federated field) are refused.
    const st = await sys.gql(`query($id: ID!) { student(id: $id) { name payments { id } } }`, { id: studentId }, { token: t.ownerToken });
    expect(st.data.student.name).toBe('Mira');
    expect(st.data.student.payments).toBeNull();
    expect(codes(st)).toEqual(['MODULE_DISABLED']);
    // Straight to the billing subgraph: the Payment entity is refused too.
    const ent = await sys.gql(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Payment { id amount } } }`,
      { r: [{ __typename: 'Payment', id: paymentId }] },
      { token: t.ownerToken, url: sys.subgraphUrls.billing },
    );
    expect(codes(ent)).toContain('MODULE_DISABLED');
    expect(JSON.stringify(ent.data ?? null)).not.toContain('1000');
    // The plain HTTP routes of billing follow the same table.
    const billing = sys.subgraphUrls.billing.replace(/\/graphql$/, '');
    const invoice = await fetch(`${billing}/invoices/${paymentId}.html`, { headers: { authorization: `Bearer ${t.ownerToken}` } });
    expect(invoice.status).toBe(403);
    expect(await invoice.json()).toMatchObject({ error: { code: 'MODULE_DISABLED' } });
    expect((await fetch(`${billing}/exports/revenue.csv`, { headers: { authorization: `Bearer ${t.ownerToken}` } })).status).toBe(403);
    // Other modules keep working.
    expect((await sys.gql(CHECK_IN, { s: studentId }, { token: t.ownerToken })).errors).toBeUndefined();
    await sys.ok(CHECK_OUT, { s: studentId }, { token: t.ownerToken });

    const on = await setModules({ payments: true });
    expect(on.setTenantModules.modules.payments).toBe(true);
    expect(codes(await pay(t.ownerToken))).toEqual([]);
    expect(await paymentCount()).toBe(before + 1);
    const list = await sys.ok(`{ payments { id } }`, {}, { token: t.ownerToken });
    expect(list.payments.length).toBe(before + 1);
    expect((await fetch(`${billing}/invoices/${paymentId}.html`, { headers: { authorization: `Bearer ${t.ownerToken}` } })).status).toBe(200);
  });

  it('binds platform staff acting on the tenant (x-tenant) too, while tenant administration stays open to them', async () => {
    await setModules({ attendance: false });
    const r = await sys.gql(CHECK_IN, { s: studentId }, { token: sys.superToken, tenant: t.slug });
    expect(codes(r)).toEqual(['MODULE_DISABLED']);
    expect(r.errors![0].message).toContain('attendance');
    const open = await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('attendance').countDocuments({ checkOutAt: null });
    expect(open).toBe(0);
    // The platform admin can switch it back on (setTenantModules is not a module operation).
    await sys.ok(MODULES, { i: { attendance: true } }, { token: sys.superToken, tenant: t.slug });
    await sys.ok(CHECK_IN, { s: studentId }, { token: sys.superToken, tenant: t.slug });
    await sys.ok(CHECK_OUT, { s: studentId }, { token: t.ownerToken });
  });

  it('a plan lacking a module refuses it; modules of the plan work; the tenant can switch a missing one on', async () => {
    const free = await sys.createTenant('mod-free', { modules: 'plan' });
    const opts = { token: free.ownerToken };
    const lib = (await sys.ok(`mutation { createLibrary(input: { name: "Free Hall", capacity: 5 }) { id } }`, {}, opts)).createLibrary.id;
    const s = (await sys.ok(`mutation($l: ID!) { createStudent(input: { name: "Ira", phone: "9876543210", libraryId: $l }) { id } }`, { l: lib }, opts))
      .createStudent.id;
    const r = await sys.gql(RECORD, { i: { studentId: s, amount: 500, method: 'CASH' } }, opts);
    expect(codes(r)).toEqual(['MODULE_DISABLED']);
    expect(r.errors![0].message).toContain('payments');
    expect(codes(await sys.gql(`{ churnRisk(days: 7) { student { id } } }`, {}, opts))).toEqual(['MODULE_DISABLED']);
    expect(codes(await sys.gql(`{ templates { id } }`, {}, opts))).toEqual(['MODULE_DISABLED']);
    await sys.ok(CHECK_IN, { s }, opts);
    expect(await sys.db.tenant(sys.db.tenantDbName(free.slug)).collection('payments').countDocuments()).toBe(0);
    await sys.ok(MODULES, { i: { payments: true } }, opts);
    expect(codes(await sys.gql(RECORD, { i: { studentId: s, amount: 500, method: 'CASH' } }, opts))).toEqual([]);
  });
});

describe('modules in background work', () => {
  it('messaging automations send nothing while messaging is off', async () => {
    const sends = db().collection('automation_sends');
    const enrol = async (name: string) =>
      (
        await sys.ok(
          `mutation($n: String!, $l: ID!) { createStudent(input: { name: $n, phone: "9876543210", libraryId: $l }) { id } }`,
          { n: name, l: libraryId },
          { token: t.ownerToken },
        )
      ).createStudent.id as string;
    await setModules({ messaging: false });
    const quiet = await enrol('Quiet');
    await sleep(700);
    expect(await sends.countDocuments({ key: `welcome:${quiet}` })).toBe(0);
    await setModules({ messaging: true });
    const welcomed = await enrol('Welcomed');
    for (let i = 0; i < 50 && (await sends.countDocuments({ key: `welcome:${welcomed}` })) === 0; i++) await sleep(100);
    expect(await sends.countDocuments({ key: `welcome:${welcomed}` })).toBe(1);
    expect(await sends.countDocuments({ key: `welcome:${quiet}` })).toBe(0);
  });
});

describe('modules on the partner endpoint', () => {
  it('a partner key is refused the switched-off module and served again once it is on', async () => {
    const partnerUrl = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
    const created = await sys.ok(
      `mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`,
      { i: { name: 'door', scopes: ['libraries:read', 'students:list', 'attendance:read', 'attendance:write'] } },
      { token: t.ownerToken },
    );
    const call = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(partnerUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': created.createApiKey.key },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
    };
    await setModules({ attendance: false });
    expect(codes(await call(CHECK_IN, { s: studentId }))).toEqual(['MODULE_DISABLED']);
    const occ = await call(`{ libraries { name occupancy { occupied } } }`);
    expect(codes(occ)).toEqual(['MODULE_DISABLED']);
    expect(await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('attendance').countDocuments({ checkOutAt: null })).toBe(0);
    await setModules({ attendance: true });
    expect(codes(await call(CHECK_IN, { s: studentId }))).toEqual([]);
    expect((await call(`{ libraries { name occupancy { occupied } } }`)).data.libraries).toEqual([{ name: 'Mod Hall', occupancy: { occupied: 1 } }]);
    await sys.ok(CHECK_OUT, { s: studentId }, { token: t.ownerToken });
  });
});

describe('modules over WebSocket', () => {
  const OCCUPANCY = `subscription($id: ID) { occupancyChanged(libraryId: $id) { name } }`;
  const ws = () => {
    const c = connect(sys.wsUrl, { authorization: `Bearer ${t.ownerToken}` });
    open.push(c);
    return c;
  };

  it('subscribing to a switched-off module is refused; on again it delivers', async () => {
    await setModules({ attendance: false });
    const refused = subscribe(ws().client, OCCUPANCY, { id: libraryId });
    await refused.completed;
    expect(JSON.stringify(refused.errors)).toContain('MODULE_DISABLED');
    expect(refused.results).toEqual([]);

    await setModules({ attendance: true });
    const sub = subscribe(ws().client, OCCUPANCY, { id: libraryId });
    await sleep(200);
    await sys.ok(CHECK_IN, { s: studentId }, { token: t.ownerToken });
    expect((await sub.waitFor(1))[0].data).toEqual({ occupancyChanged: { name: 'Mod Hall' } });
    await sys.ok(CHECK_OUT, { s: studentId }, { token: t.ownerToken });
    await sub.waitFor(2);
    sub.unsubscribe();
  });

  it('switched off while subscribed: the next event is MODULE_DISABLED and the subscription completes', async () => {
    const sub = subscribe(ws().client, `subscription { occupancyChanged { name } }`);
    await sleep(200);
    await setModules({ attendance: false });
    await sleep(100);
    // A booking still changes occupancy (bookings module on): the subscriber is told and let go.
    await sys.ok(
      `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id } }`,
      { i: { studentId, libraryId, seatNumber: 3, date: '2030-01-05' } },
      { token: t.ownerToken },
    );
    await sub.completed;
    expect(sub.results.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['MODULE_DISABLED']);
    expect(sub.results[0].data ?? null).toBeNull();
    await setModules({ attendance: true });
  });
});
