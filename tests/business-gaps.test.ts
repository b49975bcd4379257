import { Types } from 'mongoose';
import { STALE_MS, writeClaimed } from '../core/tenancy/status-claims';
import { libraryModel } from '../subgraphs/tenant/library.model';
import { startSystem, TEST_PASSWORD, type System, type TestTenant } from './helpers/system';
import { sleep } from './helpers/ws';

/**
 * Issue 5 bullets that no other suite covered: library and staff plan limits
 * (under concurrency and after a plan change), opening hours, audit retention
 * and the owner's own-tenant audit scope, churn-risk denial and bad input,
 * bulk messages to students with dues pending, library and DLT template
 * status changes that race.
 */
let sys: System;
/** Tenant creation dominates the run time, so three tenants serve every test. */
let limited: TestTenant; // maxLibraries 2, maxStaff 3
let free: TestTenant; // the free plan
let roomy: TestTenant; // room for the hours, audit and churn tests
const sweepEnv = process.env.AUDIT_SWEEP_INTERVAL_MS;
beforeAll(async () => {
  // A fast retention timer, read by the tenant subgraph when it starts.
  process.env.AUDIT_SWEEP_INTERVAL_MS = '300';
  // An SMS provider makes SMS templates need DLT approval; nothing is sent to it here.
  sys = await startSystem({}, { messaging: { channels: { sms: { baseUrl: 'http://127.0.0.1:9', authKey: 'unused' } } } });
  [limited, free, roomy] = await Promise.all([
    sys.createTenant('gap-limited', { limits: { maxLibraries: 2, maxStudents: 10, maxStaff: 3 } }),
    sys.createTenant('gap-free', { plan: 'free' }),
    sys.createTenant('gap-roomy', { limits: { maxLibraries: 5, maxStudents: 10, maxStaff: 5 } }),
  ]);
  // Before the tenant's first audited mutation, so that write runs the retention sweep.
  const base = { service: 'tenant', userId: 'u', role: 'owner', entityId: null, input: {}, result: {}, ip: null, requestId: 'r' };
  await tenantDb(roomy)
    .collection('audit_log')
    .insertMany([
      { ...base, action: 'ancientAction', at: new Date(Date.now() - 400 * DAY) },
      { ...base, action: 'recentAction', at: new Date(Date.now() - 30 * DAY) },
    ]);
});
afterAll(async () => {
  await sys?.stop();
  if (sweepEnv === undefined) delete process.env.AUDIT_SWEEP_INTERVAL_MS;
  else process.env.AUDIT_SWEEP_INTERVAL_MS = sweepEnv;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const code = (res: { errors?: { extensions?: Record<string, any> }[] }) => res.errors?.[0]?.extensions?.code;
const DAY = 24 * 3600 * 1000;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const CREATE_LIB = `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id openingTime closingTime } }`;
const CREATE_USER = `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`;

async function registryLimits(t: TestTenant, maxLibraries: number) {
  for (let i = 0; i < 60; i++) {
    const data = await sys.ok(`{ tenant { limits { maxLibraries } } }`, {}, { token: t.ownerToken });
    if (data.tenant.limits.maxLibraries === maxLibraries) return;
    await sleep(50);
  }
  throw new Error(`maxLibraries never became ${maxLibraries}`);
}

describe('plan limits on libraries and staff', () => {
  it('5 concurrent createLibrary with maxLibraries 2: exactly 2 succeed, 3 LIMIT_EXCEEDED; nothing extra written', async () => {
    const t = limited;
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => sys.gql(CREATE_LIB, { i: { name: `Hall ${i}`, capacity: 10 } }, { token: t.ownerToken })));
    expect(results.filter((r) => r.data?.createLibrary?.id)).toHaveLength(2);
    const refused = results.filter((r) => code(r) === 'LIMIT_EXCEEDED');
    expect(refused).toHaveLength(3);
    expect(refused[0].errors![0].message).toMatch(/at most 2 libraries/);
    expect(await tenantDb(t).collection('libraries').countDocuments()).toBe(2);
    expect(await tenantDb(t).collection('tenant_quotas').countDocuments({ key: 'libraries' })).toBe(2);
  });

  it('5 concurrent createUser with maxStaff 3 (the owner holds one): exactly 2 succeed, 3 LIMIT_EXCEEDED', async () => {
    const t = limited;
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        sys.gql(CREATE_USER, { i: { email: `s${i}@gap-limited.test`, name: `Staff ${i}`, password: TEST_PASSWORD, role: 'staff' } }, { token: t.ownerToken }),
      ),
    );
    expect(results.filter((r) => r.data?.createUser?.id)).toHaveLength(2);
    expect(results.filter((r) => code(r) === 'LIMIT_EXCEEDED')).toHaveLength(3);
    expect(await tenantDb(t).collection('users').countDocuments()).toBe(3);
  });

  it('a plan upgrade raises the library limit the tenant subgraph enforces', async () => {
    const t = free;
    await sys.ok(CREATE_LIB, { i: { name: 'First', capacity: 10 } }, { token: t.ownerToken });
    expect(code(await sys.gql(CREATE_LIB, { i: { name: 'Second', capacity: 10 } }, { token: t.ownerToken }))).toBe('LIMIT_EXCEEDED');
    // A trial applies at once (a paid plan would wait for its invoice: tests/saas-billing.test.ts).
    await sys.ok(`mutation { subscribe(plan: STARTER, cycle: MONTHLY, idempotencyKey: "gap-plan-1", trial: true) { amountDue } }`, {}, { token: t.ownerToken });
    await registryLimits(t, 3);
    await sys.ok(CREATE_LIB, { i: { name: 'Second', capacity: 10 } }, { token: t.ownerToken });
    await sys.ok(CREATE_LIB, { i: { name: 'Third', capacity: 10 } }, { token: t.ownerToken });
    expect(code(await sys.gql(CREATE_LIB, { i: { name: 'Fourth', capacity: 10 } }, { token: t.ownerToken }))).toBe('LIMIT_EXCEEDED');
    expect(await tenantDb(t).collection('libraries').countDocuments()).toBe(3);
  });
});

describe('audit log retention and scope', () => {
  const LOG = `query($f: AuditFilter) { auditLog(filter: $f) { action entityId } }`;

  it('drops entries older than AUDIT_RETENTION_DAYS (default 365) on the next write; recent ones stay', async () => {
    const t = roomy;
    const lib = (await sys.ok(CREATE_LIB, { i: { name: 'Swept', capacity: 5 } }, { token: t.ownerToken })).createLibrary;
    let actions: string[] = [];
    // The sweep runs right after the entry is stored: wait for both, or fail.
    for (let i = 0; i < 60 && !(actions.includes('createLibrary') && !actions.includes('ancientAction')); i++) {
      await sleep(50);
      actions = (await sys.ok(LOG, {}, { token: t.ownerToken })).auditLog.map((e: { action: string }) => e.action);
    }
    expect(actions).toContain('createLibrary');
    expect(actions).toContain('recentAction');
    expect(actions).not.toContain('ancientAction');
    expect(await tenantDb(t).collection('audit_log').countDocuments({ action: 'ancientAction' })).toBe(0);
    expect((await sys.ok(LOG, { f: { action: 'createLibrary' } }, { token: t.ownerToken })).auditLog[0].entityId).toBe(lib.id);
  });

  it('has a TTL index on MongoDB (FerretDB has none), and the timer sweeps tenants that write nothing', async () => {
    const indexes = await tenantDb(roomy).collection('audit_log').indexes();
    const ttl = indexes.find((i) => i.name === 'at_ttl');
    const info = await sys.db.platform().db!.admin().command({ buildInfo: 1 });
    if ('ferretdbVersion' in info) expect(ttl).toBeUndefined();
    else expect(ttl).toMatchObject({ key: { at: 1 }, expireAfterSeconds: 365 * 86_400 });

    // No audited write follows in this tenant: only the timer can remove the entry.
    await tenantDb(free)
      .collection('audit_log')
      .insertOne({
        service: 'tenant',
        action: 'idleAncient',
        userId: 'u',
        role: 'owner',
        entityId: null,
        input: {},
        result: {},
        ip: null,
        requestId: 'r',
        at: new Date(Date.now() - 400 * DAY),
      });
    let left = 1;
    for (let i = 0; i < 60 && left > 0; i++) {
      await sleep(100);
      left = await tenantDb(free).collection('audit_log').countDocuments({ action: 'idleAncient' });
    }
    expect(left).toBe(0);
  });

  it('an owner naming another tenant in x-tenant still reads only its own log; staff are FORBIDDEN', async () => {
    const [a, b] = [roomy, limited];
    await tenantDb(a).collection('audit_log').insertOne({
      service: 'tenant',
      action: 'onlyInA',
      userId: 'u',
      role: 'owner',
      entityId: null,
      input: {},
      result: {},
      ip: null,
      requestId: 'r',
      at: new Date(),
    });
    const seenByB = (await sys.ok(LOG, {}, { token: b.ownerToken, tenant: a.slug })).auditLog;
    expect(seenByB.map((e: { action: string }) => e.action)).not.toContain('onlyInA');
    const seenByA = (await sys.ok(LOG, {}, { token: a.ownerToken })).auditLog;
    expect(seenByA.map((e: { action: string }) => e.action)).toContain('onlyInA');
    const staff = await sys.userToken(a, 'staff');
    expect(code(await sys.gql(LOG, {}, { token: staff }))).toBe('FORBIDDEN');
  });
});

describe('churn risk: denial and bad input', () => {
  it('staff are FORBIDDEN; days and first outside their ranges are BAD_USER_INPUT', async () => {
    const t = roomy;
    const CHURN = `query($d: Int!, $n: Int) { churnRisk(days: $d, first: $n) { daysInactive } }`;
    expect((await sys.ok(CHURN, { d: 7 }, { token: t.ownerToken })).churnRisk).toEqual([]);
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(CHURN, { d: 7 }, { token: staff }))).toBe('FORBIDDEN');
    for (const v of [{ d: 0 }, { d: 366 }, { d: 7, n: 0 }, { d: 7, n: 201 }]) {
      expect(code(await sys.gql(CHURN, v, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
  });
});

describe('opening hours', () => {
  it('stores opening and closing times; malformed times are BAD_USER_INPUT and write nothing', async () => {
    const t = roomy;
    const lib = (await sys.ok(CREATE_LIB, { i: { name: 'Dawn', capacity: 10, openingTime: '05:30', closingTime: '23:00' } }, { token: t.ownerToken }))
      .createLibrary;
    expect(lib).toMatchObject({ openingTime: '05:30', closingTime: '23:00' });
    for (const bad of [{ openingTime: '24:00' }, { closingTime: '7:00' }, { openingTime: '06:60' }]) {
      expect(code(await sys.gql(CREATE_LIB, { i: { name: 'Bad', capacity: 10, ...bad } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
    const upd = `mutation($id: ID!, $i: UpdateLibraryInput!) { updateLibrary(id: $id, input: $i) { openingTime } }`;
    expect(code(await sys.gql(upd, { id: lib.id, i: { openingTime: 'noon' } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect((await sys.ok(upd, { id: lib.id, i: { openingTime: '07:15' } }, { token: t.ownerToken })).updateLibrary.openingTime).toBe('07:15');
    expect(await tenantDb(t).collection('libraries').countDocuments({ name: 'Bad' })).toBe(0);
  });
});

describe('bulk send to students with dues pending', () => {
  const BULK = `mutation($i: SendBulkMessageInput!) { sendBulkMessage(input: $i) { id status } }`;
  const BULK_READ = `query($id: ID!) { bulkSend(id: $id) { status total sent recipients { studentId status } } }`;
  const STUDENT = `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`;
  const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`;

  it('reaches only students owing money overdue by more than N days (billing dues ledger); bad N writes nothing', async () => {
    const t = roomy;
    const o = { token: t.ownerToken };
    const v = await sys.ok(
      `mutation { createVendor(input: { name: "Mail Co", channel: EMAIL, costPaisePerCredit: 1 }) { id } }`,
      {},
      { token: sys.superToken },
    );
    await sys.ok(
      `mutation($v: ID!) { purchaseCreditsFromVendor(vendorId: $v, credits: 100, idempotencyKey: "gap-dues-stock") { id } }`,
      { v: v.createVendor.id },
      { token: sys.superToken },
    );
    await sys.ok(
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { email } }`,
      { i: { tenantId: t.id, channel: 'EMAIL', amount: 10, idempotencyKey: 'gap-dues-alloc' } },
      { token: sys.superToken, tenant: t.slug },
    );
    const lib = (await sys.ok(CREATE_LIB, { i: { name: 'Dues Hall', capacity: 10 } }, o)).createLibrary.id;
    const add = async (name: string, phone: string) =>
      (await sys.ok(STUDENT, { i: { name, phone, libraryId: lib, email: `${name.toLowerCase()}@gap.test` } }, o)).createStudent.id as string;
    const [late, paid, never] = [await add('Late', '9800000101'), await add('Paid', '9800000102'), await add('Never', '9800000103')];
    // Late and Paid joined a ₹1,000 monthly plan 40 days ago; Late paid half, Paid all; Never has no plan (owes nothing).
    const plan = (
      await sys.ok(
        `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
        { i: { libraryId: lib, name: 'Monthly', duration: 'MONTHLY', price: 100_000, seatKind: 'ANY' } },
        o,
      )
    ).createFeePlan.id;
    const startDate = new Date(Date.now() + 330 * 60_000 - 40 * DAY).toISOString().slice(0, 10);
    for (const s of [late, paid]) {
      await sys.ok(
        `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
        { i: { studentId: s, planId: plan, startDate, idempotencyKey: `gap-dues-${s}` } },
        o,
      );
    }
    await sys.ok(PAY, { i: { studentId: late, amount: 50_000, method: 'CASH' } }, o);
    await sys.ok(PAY, { i: { studentId: paid, amount: 100_000, method: 'CASH' } }, o);
    const tpl = (await sys.ok(`mutation { createTemplate(input: { name: "Dues", channel: EMAIL, body: "Your fees are due" }) { id status } }`, {}, o))
      .createTemplate;
    expect(tpl.status).toBe('APPROVED');
    const input = { channel: 'EMAIL', templateId: tpl.id, filter: { libraryId: lib, duesOlderThanDays: 30 }, idempotencyKey: 'gap-dues-bulk-1' };

    // The dues filter reads billing's dues with the caller's token: a role without fees:read is refused.
    const email = `no-fees@${t.slug}.test`;
    const uid = (
      await sys.ok(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        { i: { email, name: 'No fees', password: TEST_PASSWORD, role: 'manager' } },
        o,
      )
    ).createUser.id;
    await sys.ok(`mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id } }`, { id: uid, i: { revoke: ['fees:read'] } }, o);
    const blind = (await sys.login(email, TEST_PASSWORD, t.slug)).accessToken;
    expect(code(await sys.gql(BULK, { i: input }, { token: blind }))).toBe('FORBIDDEN');
    for (const days of [0, 3651]) {
      expect(code(await sys.gql(BULK, { i: { ...input, filter: { duesOlderThanDays: days } } }, o))).toBe('BAD_USER_INPUT');
    }
    expect(await tenantDb(t).collection('bulk_sends').countDocuments()).toBe(0);

    const id = (await sys.ok(BULK, { i: input }, o)).sendBulkMessage.id;
    let job = { status: 'RUNNING', total: 0, sent: 0, recipients: [] as { studentId: string; status: string }[] };
    for (let i = 0; i < 100 && job.status !== 'DONE'; i++) {
      await sleep(100);
      job = (await sys.ok(BULK_READ, { id }, o)).bulkSend;
    }
    expect(job).toMatchObject({ status: 'DONE', total: 1, sent: 1, recipients: [{ studentId: late, status: 'SENT' }] });
    expect(job.recipients.map((r) => r.studentId)).not.toEqual(expect.arrayContaining([paid, never]));
    expect((await sys.ok(`{ wallet { email } }`, {}, o)).wallet.email).toBe(9);
  });
});

describe('library status changes under concurrency', () => {
  const APPROVE = `mutation($id: ID!) { approveLibrary(id: $id) { status } }`;
  const REJECT = `mutation($id: ID!) { rejectLibrary(id: $id, reason: "no") { status } }`;
  let manager: string;
  let enterprise: TestTenant;
  beforeAll(async () => {
    enterprise = await sys.createTenant('gap-lib-race', { plan: 'enterprise' });
    manager = await sys.userToken(enterprise, 'manager');
  });
  const pending = async (name: string) => (await sys.ok(CREATE_LIB, { i: { name, capacity: 5 } }, { token: manager })).createLibrary.id as string;

  it('12 rounds of a concurrent approve and reject: exactly one wins each time, and it is what is stored', async () => {
    for (let round = 0; round < 12; round++) {
      const id = await pending(`Race ${round}`);
      const results = await Promise.all([
        sys.gql(APPROVE, { id }, { token: enterprise.ownerToken }),
        sys.gql(REJECT, { id }, { token: enterprise.ownerToken }),
      ]);
      const winners = results.filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      expect(code(results.find((r) => r.errors)!)).toBe('BAD_USER_INPUT');
      const won = Object.values(winners[0].data as Record<string, { status: string }>)[0].status.toLowerCase();
      expect(
        (
          await tenantDb(enterprise)
            .collection('libraries')
            .findOne({ _id: new Types.ObjectId(id) })
        )?.status,
      ).toBe(won);
    }
  });

  it('a suspension racing updateLibrary(status: INACTIVE) always ends SUSPENDED', async () => {
    const id = (await sys.ok(CREATE_LIB, { i: { name: 'Ops', capacity: 5 } }, { token: enterprise.ownerToken })).createLibrary.id;
    const [suspend, inactive] = await Promise.all([
      sys.gql(`mutation($id: ID!) { suspendLibrary(id: $id, reason: "audit") { status } }`, { id }, { token: enterprise.ownerToken }),
      sys.gql(`mutation($id: ID!) { updateLibrary(id: $id, input: { status: INACTIVE }) { status } }`, { id }, { token: enterprise.ownerToken }),
    ]);
    const stored = (
      await tenantDb(enterprise)
        .collection('libraries')
        .findOne({ _id: new Types.ObjectId(id) })
    )?.status;
    // Suspension after INACTIVE is legal; INACTIVE after SUSPENDED is not.
    expect(suspend.errors).toBeUndefined();
    expect(stored).toBe('suspended');
    if (inactive.errors) expect(code(inactive)).toBe('BAD_USER_INPUT');
  });

  it('12 rounds of a concurrent DLT reject and approve: a successful rejection is never overwritten', async () => {
    const t = enterprise;
    const dlt = { entityId: '1201160000000012345', templateId: '1207160000000054321', senderId: 'STDSPT' };
    for (let round = 0; round < 12; round++) {
      const tpl = (
        await sys.ok(
          `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id status } }`,
          { i: { name: `Race ${round}`, channel: 'SMS', body: 'Hi {#name#}', dlt } },
          { token: t.ownerToken },
        )
      ).createTemplate;
      expect(tpl.status).toBe('PENDING');
      const [rejected, approved] = await Promise.all([
        sys.gql(`mutation($id: ID!) { rejectTemplate(id: $id, reason: "no") { status } }`, { id: tpl.id }, { token: t.ownerToken }),
        sys.gql(`mutation($id: ID!) { approveTemplate(id: $id) { status } }`, { id: tpl.id }, { token: t.ownerToken }),
      ]);
      const stored = (
        await tenantDb(t)
          .collection('templates')
          .findOne({ _id: new Types.ObjectId(tpl.id) })
      )?.status;
      // Either order is legal (approve, then withdraw; or reject, then approve refused): a rejection that succeeded is final.
      expect(rejected.errors).toBeUndefined();
      expect(stored).toBe('rejected');
      if (approved.errors) expect(code(approved)).toBe('CONFLICT');
    }
  });

  /** What a change that died between its claim and its write leaves behind: a claim older than STALE_MS. */
  const deadClaim = (id: string, set: Record<string, unknown>) =>
    tenantDb(enterprise)
      .collection('library_status_claims')
      .insertOne({ _id: `${id}:1` as never, set, createdAt: new Date(Date.now() - STALE_MS - 1_000) });
  const stored = (id: string) =>
    tenantDb(enterprise)
      .collection('libraries')
      .findOne({ _id: new Types.ObjectId(id) });

  it('rolls forward a change whose writer died after its claim, once however many callers wait on it', async () => {
    const id = await pending('Crashed');
    await deadClaim(id, { status: 'rejected', statusReason: 'crashed' });
    // The subgraphs' writes to the library while three callers wait on the dead claim.
    let writes = 0;
    const off = sys.db.onCommand((e) => {
      if (['update', 'findAndModify'].includes(e.commandName) && e.command[e.commandName] === 'libraries' && JSON.stringify(e.command).includes(id)) writes++;
    });
    let results: Awaited<ReturnType<typeof sys.gql>>[];
    try {
      results = await Promise.all([1, 2, 3].map(() => sys.gql(APPROVE, { id }, { token: enterprise.ownerToken })));
    } finally {
      off();
    }
    expect(results.map(code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await stored(id)).toMatchObject({ status: 'rejected', statusReason: 'crashed', statusSeq: 1 });
    // One roll-forward: one marker, one write (without the marker each waiter wrote: 3).
    const markers = await tenantDb(enterprise)
      .collection('library_status_claims')
      .find({ _id: { $regex: `^${id}:1:rolled` } } as never)
      .toArray();
    expect(markers.map((m) => m._id)).toEqual([`${id}:1:rolled:1`]);
    expect(writes).toBe(1);
  });

  it('a writer that was only slow, not dead, lands on nothing once its claim was rolled forward and a later change made', async () => {
    const id = (await sys.ok(CREATE_LIB, { i: { name: 'Slow', capacity: 5 } }, { token: enterprise.ownerToken })).createLibrary.id;
    await deadClaim(id, { status: 'inactive', statusReason: null });
    // The suspension rolls claim 1 (INACTIVE) forward, then claims 2 and writes.
    expect(
      (await sys.ok(`mutation($id: ID!) { suspendLibrary(id: $id, reason: "audit") { status } }`, { id }, { token: enterprise.ownerToken })).suspendLibrary
        .status,
    ).toBe('SUSPENDED');
    // Claim 1's writer wakes up and writes: nothing changes.
    const late = await writeClaimed<{ status: string }>(
      libraryModel(tenantDb(enterprise)),
      new Types.ObjectId(id),
      { status: 'inactive', statusReason: null },
      1,
    );
    expect(late.status).toBe('suspended');
    expect(await stored(id)).toMatchObject({ status: 'suspended', statusSeq: 2 });
  });
});
