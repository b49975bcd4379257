import { startFakeSmtp, type FakeSmtp } from './helpers/fake-messaging';
import { startSystem, TEST_PASSWORD, type GqlResult, type System, type TestTenant } from './helpers/system';

/**
 * Issue 18: the sales desk's due follow-ups reach their assignees by e-mail exactly once
 * (through messaging's platform mail, real SMTP), however many sweeps run.
 */
let sys: System;
let smtp: FakeSmtp;
let t: TestTenant;
let adminToken: string;
let adminId: string;
let supportToken: string;
const adminEmail = 'sales.rep@studyspot.test';

const codes = (r: GqlResult) => (r.errors ?? []).map((e) => e.extensions?.code);
const SEND = `mutation { sendLeadTaskReminders }`;
const TASK = `mutation($i: AddLeadTaskInput!) { addLeadTask(input: $i) { id } }`;
const TASKS = `query($id: ID!) { lead(id: $id) { tasks { id title remindedAt } } }`;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  // The reminder job on a short timer (read once at start-up), racing the run-now calls below.
  process.env.CRM_REMINDER_INTERVAL_MS = '250';
  sys = await startSystem(
    {},
    { messaging: { channels: { email: { host: '127.0.0.1', port: smtp.port, requireTls: false, from: 'StudySpot <no-reply@studyspot.test>' } } } },
  );
  delete process.env.CRM_REMINDER_INTERVAL_MS;
  t = await sys.createTenant('crmplat-a');
  const made = await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email: adminEmail, name: 'Meera', password: TEST_PASSWORD, role: 'admin' } },
    { token: sys.superToken },
  );
  adminId = made.createPlatformUser.id;
  adminToken = (await sys.login(adminEmail, TEST_PASSWORD)).accessToken;
  await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email: 'support@studyspot.test', name: 'S', password: TEST_PASSWORD, role: 'support' } },
    { token: sys.superToken },
  );
  supportToken = (await sys.login('support@studyspot.test', TEST_PASSWORD)).accessToken;
});
afterAll(async () => {
  await sys?.stop();
  await smtp?.stop();
});

/** The mails to `to`, quoted-printable soft line breaks undone. */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(check: () => boolean, ms = 8000) {
  for (const end = Date.now() + ms; !check() && Date.now() < end;) await sleep(50);
}

const mailsTo = (to: string) => smtp.mails.filter((m) => m.to.includes(to)).map((m) => ({ ...m, raw: m.raw.replace(/=\r?\n/g, '') }));

describe('follow-up reminders', () => {
  it('mails the assignee of a due task once, however many sweeps run', async () => {
    const lead = (
      await sys.ok(
        `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`,
        { i: { source: 'CALL', contactName: 'Kiran', phone: '+919844444444', city: 'Hubli', businessName: 'Lamp Post Library' } },
        { token: adminToken },
      )
    ).createLead.id;
    const due = (await sys.ok(TASK, { i: { leadId: lead, title: 'Call Kiran back', dueAt: new Date(Date.now() - 60_000) } }, { token: adminToken })).addLeadTask
      .id;
    await sys.ok(TASK, { i: { leadId: lead, title: 'Send the contract', dueAt: new Date(Date.now() + 86_400_000) } }, { token: adminToken });
    const done = (await sys.ok(TASK, { i: { leadId: lead, title: 'Already done', dueAt: new Date(Date.now() + 1000) } }, { token: adminToken })).addLeadTask.id;
    await sys.ok(`mutation($id: ID!) { completeLeadTask(id: $id) { id } }`, { id: done }, { token: adminToken });

    // Three sweeps at once (as several instances would) racing the job's timer: one mail.
    const runs = await Promise.all([1, 2, 3].map(() => sys.ok(SEND, {}, { token: adminToken })));
    expect(runs.reduce((n, r) => n + r.sendLeadTaskReminders, 0)).toBeLessThanOrEqual(1);
    await until(() => mailsTo(adminEmail).length > 0);
    await sleep(1200); // several more timer runs, past the completed task's due time
    expect((await sys.ok(SEND, {}, { token: sys.superToken })).sendLeadTaskReminders).toBe(0);
    const mails = mailsTo(adminEmail);
    expect(mails).toHaveLength(1);
    expect(mails[0].raw).toContain('Call Kiran back');
    expect(mails[0].raw).toContain('Lamp Post Library');
    expect(mails[0].raw).not.toContain('+919844444444'); // no contact details in the mail
    const tasks = (await sys.ok(TASKS, { id: lead }, { token: adminToken })).lead.tasks;
    expect(tasks.find((x: { id: string }) => x.id === due).remindedAt).not.toBeNull();
    expect(tasks.filter((x: { remindedAt: string | null }) => x.remindedAt)).toHaveLength(1);
    expect(
      await sys.db
        .platform()
        .collection('crm_lead_task_reminders')
        .countDocuments({ _id: due as never, sentAt: { $ne: null } }),
    ).toBe(1);
  });

  it('a failed send is given back and the periodic job sends it once the mail server is back', async () => {
    const lead = (
      await sys.ok(
        `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`,
        { i: { source: 'CALL', contactName: 'Ravi', phone: '+919855555555', city: 'Hubli', businessName: 'Night Owl Library' } },
        { token: adminToken },
      )
    ).createLead.id;
    const before = mailsTo(adminEmail).length;
    smtp.fail = true;
    try {
      await sys.ok(TASK, { i: { leadId: lead, title: 'Demo follow-up', dueAt: new Date(Date.now() - 1000) } }, { token: adminToken });
      expect((await sys.ok(SEND, {}, { token: adminToken })).sendLeadTaskReminders).toBe(0);
      await sleep(800); // the timer fails a few times too
      expect((await sys.ok(TASKS, { id: lead }, { token: adminToken })).lead.tasks[0].remindedAt).toBeNull();
    } finally {
      smtp.fail = false;
    }
    // No run-now: the job alone retries and sends, once.
    await until(() => mailsTo(adminEmail).length > before);
    await sleep(800);
    expect(mailsTo(adminEmail).length).toBe(before + 1);
    expect((await sys.ok(TASKS, { id: lead }, { token: adminToken })).lead.tasks[0].remindedAt).not.toBeNull();
    expect(mailsTo(adminEmail).at(-1)!.raw).toContain('Demo follow-up');
  });

  it('tenant users and support may not run the sweep', async () => {
    expect(codes(await sys.gql(SEND, {}, { token: t.ownerToken }))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(SEND, {}, { token: supportToken }))).toEqual(['FORBIDDEN']);
    expect(adminId).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('platform totals', () => {
  const TOTALS = `query($m: Int) { platformTotals(months: $m) { tenants byStatus { status count } byPlan { plan count } newTenantsByMonth { month count }
    students activeStudents revenueCollected snapshotTenants snapshotsAsOf } }`;

  async function students(tenant: TestTenant, n: number, pay: number[]) {
    const o = { token: tenant.ownerToken };
    const libraryId = (await sys.ok(`mutation { createLibrary(input: { name: "Main", city: "Pune", capacity: 50 }) { id } }`, {}, o)).createLibrary.id;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: `S${i}`, phone: `98765432${String(10 + i)}`, libraryId } },
        o,
      );
      ids.push(s.createStudent.id);
    }
    for (const [i, amount] of pay.entries()) {
      await sys.ok(
        `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`,
        { i: { studentId: ids[i], amount, method: 'UPI', idempotencyKey: `tot-${tenant.slug}-${i}` } },
        o,
      );
    }
    return ids;
  }

  it('sums tenants by status, plan and month and students and revenue across tenants from the snapshots', async () => {
    const b = await sys.createTenant('crmplat-b', { plan: 'starter' });
    const c = await sys.createTenant('crmplat-c', { plan: 'starter' });
    const aIds = await students(t, 3, [150_000, 99_900]);
    await students(b, 2, [1_000_000]);
    await sys.ok(
      `mutation($id: ID!, $i: UpdateStudentInput!) { updateStudent(id: $id, input: $i) { id } }`,
      { id: aIds[2], i: { status: 'INACTIVE' } },
      { token: t.ownerToken },
    );
    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { id } }`, { id: c.id }, { token: sys.superToken });

    // Nothing rolled up yet: the registry counts are there, the snapshot sums are empty.
    const before = (await sys.ok(TOTALS, { m: 3 }, { token: adminToken })).platformTotals;
    expect(before).toMatchObject({ tenants: 3, students: 0, activeStudents: 0, revenueCollected: 0, snapshotTenants: 0, snapshotsAsOf: null });

    // Two first rollups at once (two instances): the active tenants, one snapshot each.
    const first = await Promise.all([1, 2].map(() => sys.ok(`mutation { refreshPlatformTotals }`, {}, { token: adminToken })));
    expect(first.map((r) => r.refreshPlatformTotals)).toEqual([2, 2]);
    expect(await sys.db.platform().collection('platform_tenant_snapshots').countDocuments()).toBe(2);
    const reads: string[] = [];
    const off = sys.db.onCommand((ev) => {
      const coll = String(ev.command.find ?? ev.command.aggregate ?? ev.command.count ?? '');
      if (ev.databaseName !== sys.db.platform().name && ['students', 'payments'].includes(coll)) reads.push(`${ev.databaseName}.${coll}`);
    });
    const totals = (await sys.ok(TOTALS, { m: 3 }, { token: adminToken })).platformTotals;
    off();
    expect(reads).toEqual([]); // the query reads no tenant's students or payments
    expect(totals).toMatchObject({ tenants: 3, students: 5, activeStudents: 4, revenueCollected: 1_249_900, snapshotTenants: 2 });
    expect(totals.byStatus).toEqual([
      { status: 'PROVISIONING', count: 0 },
      { status: 'ACTIVE', count: 2 },
      { status: 'SUSPENDED', count: 1 },
    ]);
    expect(totals.byPlan).toEqual([
      { plan: 'free', count: 1 },
      { plan: 'starter', count: 2 },
      { plan: 'professional', count: 0 },
      { plan: 'enterprise', count: 0 },
    ]);
    expect(totals.newTenantsByMonth).toHaveLength(3);
    expect(totals.newTenantsByMonth[2]).toEqual({ month: expect.stringMatching(/^\d{4}-\d{2}$/), count: 3 });
    expect(totals.newTenantsByMonth.slice(0, 2).map((m: { count: number }) => m.count)).toEqual([0, 0]);
    expect(new Date(totals.snapshotsAsOf).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Snapshots are upserted by tenant id: refreshes (racing ones too, as two instances) replace, never add.
    await students(b, 1, []);
    const refreshes = await Promise.all([adminToken, sys.superToken].map((token) => sys.ok(`mutation { refreshPlatformTotals }`, {}, { token })));
    expect(refreshes.map((r) => r.refreshPlatformTotals)).toEqual([2, 2]);
    const again = (await sys.ok(TOTALS, {}, { token: adminToken })).platformTotals;
    expect(again).toMatchObject({ students: 6, activeStudents: 5, revenueCollected: 1_249_900, snapshotTenants: 2 });
    expect(again.newTenantsByMonth).toHaveLength(12);
    expect(await sys.db.platform().collection('platform_tenant_snapshots').countDocuments()).toBe(2);
  });

  it('is for platform staff only: tenant owners are FORBIDDEN, support sees no money', async () => {
    for (const q of [TOTALS, `mutation { refreshPlatformTotals }`]) expect(codes(await sys.gql(q, {}, { token: t.ownerToken }))).toEqual(['FORBIDDEN']);
    const support = supportToken;
    expect((await sys.ok(`{ platformTotals { tenants students } }`, {}, { token: support })).platformTotals.tenants).toBeGreaterThan(0);
    expect(codes(await sys.gql(`{ platformTotals { revenueCollected } }`, {}, { token: support }))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(`mutation { refreshPlatformTotals }`, {}, { token: support }))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(TOTALS, { m: 40 }, { token: adminToken }))).toEqual(['BAD_USER_INPUT']);
  });
});
