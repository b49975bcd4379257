import { stockMasterWallet } from './helpers/fixtures';
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { signAccessToken } from '../core/auth/tokens';
import { emitEvent } from '../core/events/outbox';
import { DOMAIN_CONSUMERS } from '../subgraphs/events';
import { createLogger } from '../core/logger';
import { startDuesJob } from '../subgraphs/messaging/automation-dues.job';
import type { AutomationRuntime, MessagingDeps } from '../subgraphs/messaging/context';
import { defaultProviderFactory } from '../subgraphs/messaging/message.provider';
import { startFakeProviders, startFakeSmtp, type FakeProviders, type FakeSmtp } from './helpers/fake-messaging';
import { startSystem, type System, type TestTenant } from './helpers/system';

const DLT = { entityId: '1201160000000012345', templateId: '1207160000000054321', senderId: 'STDSPT' };

let sys: System;
let fake: FakeProviders;
let smtp: FakeSmtp;
beforeAll(async () => {
  fake = await startFakeProviders();
  smtp = await startFakeSmtp();
  sys = await startSystem(
    {},
    {
      messaging: {
        channels: {
          sms: { baseUrl: fake.url, authKey: 'k' },
          whatsapp: { baseUrl: fake.url, phoneNumberId: '1098765432', accessToken: 't' },
          email: { host: '127.0.0.1', port: smtp.port, requireTls: false, from: 'StudySpot <no-reply@studyspot.test>' },
        },
        // Production defaults (welcome and receipt on); the periodic dues job stays off here.
        automation: { defaultsOn: true },
      },
    },
  );
  await stockMasterWallet(sys, 100_000);
});
afterAll(async () => {
  await sys?.stop();
  await fake?.stop();
  await smtp?.stop();
});

type Credits = Partial<Record<'SMS' | 'WHATSAPP' | 'EMAIL', number>>;
const SETTINGS = `{ automationSettings { welcome { enabled channel templateId } receipt { enabled channel templateId }
  duesReminder { enabled channel templateId afterDays repeatEveryDays } updatedAt } }`;
const UPDATE = `mutation($i: UpdateAutomationSettingsInput!) { updateAutomationSettings(input: $i) {
  welcome { enabled channel templateId } receipt { enabled channel } duesReminder { enabled channel afterDays repeatEveryDays } } }`;
const REMIND = `mutation($l: ID) { sendDuesReminders(libraryId: $l) { considered sent skipped failed } }`;
const MESSAGES = `query($s: ID) { messages(studentId: $s) { body channel status creditsUsed failureReason } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const codes = (res: { errors?: { extensions?: Record<string, any> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const count = (t: TestTenant, coll: string, filter: Record<string, unknown> = {}) => tenantDb(t).collection(coll).countDocuments(filter);
const phone = () => `+9198${randomBytes(4).readUInt32BE(0).toString().padStart(8, '0').slice(0, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wallet = async (t: TestTenant) => (await sys.ok(`{ wallet { sms whatsapp email } }`, {}, { token: t.ownerToken })).wallet;
const waCalls = () => fake.requests.filter((r) => r.path.endsWith('/messages'));

/** Waits until `probe` returns `want` (events are handled after the response), then a little longer to catch a late duplicate. */
async function settle<T>(probe: () => Promise<T>, want: T, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  while (Date.now() < until && (await probe()) !== want) await sleep(50);
  await sleep(300);
  return probe();
}

async function setup(slug: string, credits: Credits = {}) {
  const t = await sys.createTenant(slug, { limits: { maxLibraries: 2, maxStudents: 20, maxStaff: 5 } });
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", capacity: 50 }) { id } }`, {}, { token: t.ownerToken });
  for (const [channel, amount] of Object.entries(credits)) {
    await sys.ok(
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
      { i: { tenantId: t.id, channel, amount, idempotencyKey: `k-${slug}-${channel}-${randomBytes(4).toString('hex')}` } },
      { token: sys.superToken, tenant: t.slug },
    );
  }
  return { t, libraryId: lib.createLibrary.id as string };
}

async function addStudent(t: TestTenant, libraryId: string, name: string, extra: Record<string, string> = {}) {
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: phone(), libraryId, ...extra } },
    { token: t.ownerToken },
  );
  return data.createStudent.id as string;
}

async function pay(t: TestTenant, studentId: string, amount = 50000) {
  const data = await sys.ok(
    `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id invoice { number } } }`,
    { i: { studentId, amount, method: 'CASH' } },
    { token: t.ownerToken },
  );
  return data.recordPayment as { id: string; invoice: { number: string } };
}

async function approvedSms(t: TestTenant, name: string, body: string) {
  const tpl = await sys.ok(
    `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }`,
    { i: { name, channel: 'SMS', body, dlt: DLT } },
    { token: t.ownerToken },
  );
  await sys.ok(`mutation($id: ID!) { approveTemplate(id: $id) { id } }`, { id: tpl.createTemplate.id }, { token: t.ownerToken });
  return tpl.createTemplate.id as string;
}

const OFF = { enabled: false };

describe('event-driven messages', () => {
  it('a new student gets exactly one welcome (one credit), even when the event is delivered again', async () => {
    const { t, libraryId } = await setup('auto-welcome', { WHATSAPP: 10 });
    const before = waCalls().length;
    const studentId = await addStudent(t, libraryId, 'Asha Rao');
    expect(await settle(() => count(t, 'messages'), 1)).toBe(1);
    const [msg] = (await sys.ok(MESSAGES, { s: studentId }, { token: t.ownerToken })).messages;
    // DLT route and no SMS template: the automatic channel skips SMS and takes WhatsApp.
    expect(msg).toMatchObject({ channel: 'WHATSAPP', status: 'SENT', creditsUsed: 1, failureReason: null });
    expect(msg.body).toBe('Welcome to Tenant auto-welcome, Asha Rao! We are glad to have you.');
    expect(waCalls().length - before).toBe(1);
    expect((await wallet(t)).whatsapp).toBe(9);

    // The same fact twice more, concurrently, as distinct events (no key: two more deliveries): nothing more.
    await Promise.all([1, 2].map(() => emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'student.created', { tenantId: t.id, studentId })));
    expect(await settle(() => count(t, 'messages'), 2, 1000)).toBe(1);
    expect((await wallet(t)).whatsapp).toBe(9);
    expect(await count(t, 'automation_sends', { key: `welcome:${studentId}`, status: 'sent' })).toBe(1);
  });

  it('a payment sends one receipt with its amount and invoice number; a repeated event sends nothing more', async () => {
    const { t, libraryId } = await setup('auto-receipt', { EMAIL: 5 });
    await sys.ok(UPDATE, { i: { welcome: OFF, receipt: { enabled: true, channel: 'EMAIL' } } }, { token: t.ownerToken });
    const studentId = await addStudent(t, libraryId, 'Ravi Kumar', { email: 'ravi@example.test' });
    const mailsBefore = smtp.mails.length;
    const payment = await pay(t, studentId, 125050);
    expect(await settle(() => count(t, 'messages'), 1)).toBe(1);
    const [msg] = (await sys.ok(MESSAGES, { s: studentId }, { token: t.ownerToken })).messages;
    expect(msg).toMatchObject({ channel: 'EMAIL', status: 'SENT', creditsUsed: 1 });
    expect(msg.body).toContain('Rs 1,250.50');
    expect(msg.body).toContain(payment.invoice.number);
    expect(smtp.mails.length - mailsBefore).toBe(1);

    await Promise.all(
      [1, 2].map(() => emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'payment.recorded', { tenantId: t.id, paymentId: payment.id, studentId })),
    );
    expect(await settle(() => count(t, 'messages'), 2, 1000)).toBe(1);
    expect((await wallet(t)).email).toBe(4);
  });

  it('an SMS welcome on the DLT route goes out through the approved template', async () => {
    const { t, libraryId } = await setup('auto-dlt', { SMS: 3 });
    const templateId = await approvedSms(t, 'Welcome', 'Welcome {#name#} to {#tenant#}');
    const set = await sys.ok(UPDATE, { i: { welcome: { enabled: true, templateId } } }, { token: t.ownerToken });
    expect(set.updateAutomationSettings.welcome).toEqual({ enabled: true, channel: 'SMS', templateId });
    const before = fake.requests.length;
    await addStudent(t, libraryId, 'A Very Long Student Name Beyond Thirty Characters');
    expect(await settle(() => count(t, 'messages', { status: 'sent' }), 1)).toBe(1);
    const flow = fake.requests.slice(before).filter((r) => r.path === '/api/v5/flow/');
    expect(flow).toHaveLength(1);
    expect(flow[0].body.template_id).toBe(DLT.templateId);
    // DLT variables carry at most 30 characters.
    expect(flow[0].body.recipients[0].name).toBe('A Very Long Student Name Beyon');
    expect((await wallet(t)).sms).toBe(2);
  });

  it('without credits the message is recorded FAILED (INSUFFICIENT_BALANCE) and nothing is debited', async () => {
    const { t, libraryId } = await setup('auto-broke');
    const studentId = await addStudent(t, libraryId, 'Meera', { email: 'meera@example.test' });
    expect(await settle(() => count(t, 'messages'), 1)).toBe(1);
    const [msg] = (await sys.ok(MESSAGES, { s: studentId }, { token: t.ownerToken })).messages;
    expect(msg).toMatchObject({ status: 'FAILED', creditsUsed: 0, failureReason: 'INSUFFICIENT_BALANCE' });
    expect(await wallet(t)).toEqual({ sms: 0, whatsapp: 0, email: 0 });
    expect(await count(t, 'automation_sends', { key: `welcome:${studentId}`, status: 'failed', reason: 'INSUFFICIENT_BALANCE' })).toBe(1);
  });

  it('a tenant with automations off sends nothing', async () => {
    const { t, libraryId } = await setup('auto-off', { WHATSAPP: 5 });
    await sys.ok(UPDATE, { i: { welcome: OFF, receipt: OFF } }, { token: t.ownerToken });
    const studentId = await addStudent(t, libraryId, 'Off Student');
    await pay(t, studentId);
    await sleep(800);
    expect(await count(t, 'messages')).toBe(0);
    expect(await count(t, 'automation_sends')).toBe(0);
    expect((await wallet(t)).whatsapp).toBe(5);
  });

  it("tenant B never gets tenant A's messages, even from an event naming B with A's student", async () => {
    const a = await setup('auto-iso-a', { WHATSAPP: 5 });
    const b = await setup('auto-iso-b', { WHATSAPP: 5 });
    const studentId = await addStudent(a.t, a.libraryId, 'Only In A');
    expect(await settle(() => count(a.t, 'messages'), 1)).toBe(1);
    // A forged/misrouted event: the service credential is for B, so A's student is not found and nothing is sent.
    await emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'student.created', { tenantId: b.t.id, studentId });
    await sleep(800);
    expect(await count(b.t, 'messages')).toBe(0);
    expect((await wallet(b.t)).whatsapp).toBe(5);
    expect((await wallet(a.t)).whatsapp).toBe(4);
  });
});

describe('automation settings', () => {
  it('defaults, owner/manager updates, staff denied', async () => {
    const { t } = await setup('auto-settings');
    const read = await sys.ok(SETTINGS, {}, { token: t.ownerToken });
    expect(read.automationSettings).toEqual({
      welcome: { enabled: true, channel: null, templateId: null },
      receipt: { enabled: true, channel: null, templateId: null },
      duesReminder: { enabled: false, channel: null, templateId: null, afterDays: 30, repeatEveryDays: 7 },
      updatedAt: null,
    });
    const manager = await sys.userToken(t, 'manager');
    const staff = await sys.userToken(t, 'staff');
    const upd = await sys.ok(UPDATE, { i: { duesReminder: { enabled: true, channel: 'EMAIL', afterDays: 35, repeatEveryDays: 0 } } }, { token: manager });
    expect(upd.updateAutomationSettings).toMatchObject({
      welcome: { enabled: true, channel: null },
      receipt: { enabled: true },
      duesReminder: { enabled: true, channel: 'EMAIL', afterDays: 35, repeatEveryDays: 0 },
    });
    expect(codes(await sys.gql(SETTINGS, {}, { token: staff }))).toContain('FORBIDDEN');
    expect(codes(await sys.gql(UPDATE, { i: { welcome: OFF } }, { token: staff }))).toContain('FORBIDDEN');
    expect(codes(await sys.gql(REMIND, {}, { token: staff }))).toContain('FORBIDDEN');
    expect((await sys.ok(SETTINGS, {}, { token: t.ownerToken })).automationSettings.welcome.enabled).toBe(true);
  });

  it('bad input is BAD_USER_INPUT and changes nothing', async () => {
    const { t } = await setup('auto-bad');
    const pending = (
      await sys.ok(
        `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id } }`,
        { i: { name: 'P', channel: 'SMS', body: 'Hi {#name#}', dlt: DLT } },
        { token: t.ownerToken },
      )
    ).createTemplate.id;
    const unknownVar = await approvedSms(t, 'U', 'Hi {#name#}, seat {#seat#}');
    const bad = [
      { duesReminder: { enabled: true, afterDays: 0, repeatEveryDays: 0 } },
      { duesReminder: { enabled: true, afterDays: 30, repeatEveryDays: 91 } },
      { welcome: { enabled: true, channel: 'SMS' } },
      { welcome: { enabled: true, templateId: 'not-an-id' } },
      { welcome: { enabled: true, templateId: pending } },
      { welcome: { enabled: true, templateId: unknownVar } },
      { welcome: { enabled: true, channel: 'EMAIL', templateId: unknownVar } },
      { welcome: OFF, receipt: { enabled: true, templateId: '0123456789abcdef01234567' } },
      {},
    ];
    for (const i of bad) expect(codes(await sys.gql(UPDATE, { i }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await sys.gql(UPDATE, { i: { welcome: { enabled: 'yes' } } }, { token: t.ownerToken }))).toContain('BAD_USER_INPUT');
    expect(await count(t, 'automation_settings')).toBe(0);
    expect((await sys.ok(SETTINGS, {}, { token: t.ownerToken })).automationSettings.updatedAt).toBeNull();
  });

  it('the service credential carries only the automation permissions', async () => {
    const { t, libraryId } = await setup('auto-svc');
    const token = signAccessToken({ sub: 'service:messaging', role: 'service', tid: t.id, tsl: t.slug }, sys.config.jwtSecret, 60);
    expect(codes(await sys.gql(`mutation { createLibrary(input: { name: "X", capacity: 5 }) { id } }`, {}, { token }))).toContain('FORBIDDEN');
    expect(codes(await sys.gql(`{ wallet { sms } }`, {}, { token }))).toContain('FORBIDDEN');
    expect(codes(await sys.gql(SETTINGS, {}, { token }))).toContain('FORBIDDEN');
    // (users:read is a service permission since the complaints desk: tickets' SLA job finds assignees and managers.)
    expect(codes(await sys.gql(`{ apiKeys { id } }`, {}, { token }))).toContain('FORBIDDEN');
    expect(
      codes(await sys.gql(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name: 'X', phone: phone(), libraryId } }, { token })),
    ).toContain('FORBIDDEN');
  });
});

describe('dues reminders', () => {
  /** Real dues through billing's API: a ₹1,500 monthly plan assigned from `days` ago (India's date), never paid. */
  const plans = new Map<string, string>();
  async function overdue(t: TestTenant, libraryId: string, studentId: string, days: number) {
    let plan = plans.get(libraryId);
    if (!plan) {
      plan = (
        await sys.ok(
          `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
          { i: { libraryId, name: 'Monthly', duration: 'MONTHLY', price: 150_000, seatKind: 'ANY' } },
          { token: t.ownerToken },
        )
      ).createFeePlan.id as string;
      plans.set(libraryId, plan);
    }
    const startDate = new Date(Date.now() + 330 * 60_000 - days * 86400_000).toISOString().slice(0, 10);
    await sys.ok(
      `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
      { i: { studentId, planId: plan, startDate, idempotencyKey: `overdue-${studentId}` } },
      { token: t.ownerToken },
    );
  }

  it('one reminder per due student per period, however often it runs; library filter; manager may run it', async () => {
    const { t, libraryId } = await setup('auto-dues', { WHATSAPP: 20 });
    await sys.ok(UPDATE, { i: { welcome: OFF, receipt: OFF } }, { token: t.ownerToken });
    const other = (await sys.ok(`mutation { createLibrary(input: { name: "Annex", capacity: 10 }) { id } }`, {}, { token: t.ownerToken })).createLibrary.id;
    const due1 = await addStudent(t, libraryId, 'Due One');
    const due2 = await addStudent(t, libraryId, 'Due Two');
    const paidUp = await addStudent(t, libraryId, 'Paid Up');
    const annex = await addStudent(t, other, 'Annex Due');
    for (const s of [due1, due2]) await overdue(t, libraryId, s, 40);
    await overdue(t, other, annex, 40);
    await pay(t, paidUp);

    // Off: nothing happens.
    expect((await sys.ok(REMIND, {}, { token: t.ownerToken })).sendDuesReminders).toEqual({ considered: 0, sent: 0, skipped: 0, failed: 0 });
    await sys.ok(UPDATE, { i: { duesReminder: { enabled: true, channel: 'WHATSAPP', afterDays: 30, repeatEveryDays: 0 } } }, { token: t.ownerToken });
    expect(codes(await sys.gql(REMIND, { l: 'nope' }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);

    const manager = await sys.userToken(t, 'manager');
    const onlyAnnex = (await sys.ok(REMIND, { l: other }, { token: manager })).sendDuesReminders;
    expect(onlyAnnex).toEqual({ considered: 1, sent: 1, skipped: 0, failed: 0 });

    // Two runs at once, then a third: each due student is reminded once.
    const [r1, r2] = await Promise.all([1, 2].map(async () => (await sys.ok(REMIND, {}, { token: t.ownerToken })).sendDuesReminders));
    expect(r1.sent + r2.sent).toBe(2);
    expect(r1.considered).toBe(3);
    expect(r1.failed + r2.failed).toBe(0);
    expect((await sys.ok(REMIND, {}, { token: manager })).sendDuesReminders).toEqual({ considered: 3, sent: 0, skipped: 3, failed: 0 });

    expect(await count(t, 'messages', { automation: 'dues' })).toBe(3);
    for (const s of [due1, due2, annex]) expect(await count(t, 'messages', { automation: 'dues', studentId: new Types.ObjectId(s) })).toBe(1);
    const [msg] = (await sys.ok(MESSAGES, { s: due1 }, { token: t.ownerToken })).messages;
    expect(msg.body).toMatch(/^Hi Due One, your fees of Rs 1,500.00 are 40 days overdue/);
    expect((await wallet(t)).whatsapp).toBe(17);
  });

  it('no credits: reminders are recorded FAILED, nothing debited, and not retried in the same period', async () => {
    const { t, libraryId } = await setup('auto-dues-broke');
    await sys.ok(UPDATE, { i: { welcome: OFF, receipt: OFF, duesReminder: { enabled: true, afterDays: 10, repeatEveryDays: 7 } } }, { token: t.ownerToken });
    const s = await addStudent(t, libraryId, 'Broke');
    await overdue(t, libraryId, s, 12);
    expect((await sys.ok(REMIND, {}, { token: t.ownerToken })).sendDuesReminders).toEqual({ considered: 1, sent: 0, skipped: 0, failed: 1 });
    expect((await sys.ok(REMIND, {}, { token: t.ownerToken })).sendDuesReminders).toEqual({ considered: 1, sent: 0, skipped: 1, failed: 0 });
    expect(await count(t, 'messages', { status: 'failed', failureReason: 'INSUFFICIENT_BALANCE' })).toBe(1);
    expect(await wallet(t)).toEqual({ sms: 0, whatsapp: 0, email: 0 });
  });

  it('the periodic job reminds due students of tenants with reminders on, once per period', async () => {
    const { t, libraryId } = await setup('auto-dues-job', { EMAIL: 5 });
    await sys.ok(
      UPDATE,
      { i: { welcome: OFF, receipt: OFF, duesReminder: { enabled: true, channel: 'EMAIL', afterDays: 5, repeatEveryDays: 0 } } },
      { token: t.ownerToken },
    );
    const s = await addStudent(t, libraryId, 'Job Due', { email: 'job@example.test' });
    await overdue(t, libraryId, s, 6);
    // The job as messaging's onStart runs it, with this system's services and a short period.
    const runtime: AutomationRuntime = { defaultsOn: true };
    const deps: MessagingDeps = {
      service: 'messaging',
      config: { ...sys.config, subgraphUrls: sys.subgraphUrls },
      db: sys.db,
      pubsub: sys.pubsub,
      consumers: DOMAIN_CONSUMERS,
      log: createLogger('messaging', 'silent'),
      services: { dlt: true, messageProvider: defaultProviderFactory, automation: runtime },
    };
    runtime.deps = deps;
    const stop = startDuesJob(deps, runtime, 150);
    try {
      expect(await settle(() => count(t, 'messages', { automation: 'dues' }), 1)).toBe(1);
      await sleep(500); // a few more ticks
      expect(await count(t, 'messages', { automation: 'dues' })).toBe(1);
      expect((await wallet(t)).email).toBe(4);
    } finally {
      await stop();
    }
  });
});
