import { stockMasterWallet } from './helpers/fixtures';
import { createHmac, randomBytes } from 'node:crypto';
import { startFakeProviders, startFakeSmtp, type FakeProviders, type FakeSmtp } from './helpers/fake-messaging';
import { startSystem, type System, type TestTenant } from './helpers/system';

const MSG91_KEY = 'test-msg91-authkey';
const WA_TOKEN = 'test-wa-token';
const WA_PHONE_ID = '1098765432';
const MSG91_SECRET = 'test-msg91-webhook-secret';
const WA_APP_SECRET = 'test-wa-app-secret';
const DLT = { entityId: '1201160000000012345', templateId: '1207160000000054321', senderId: 'STDSPT' };

let sys: System;
let fake: FakeProviders;
let smtp: FakeSmtp;
let webhookBase: string;
beforeAll(async () => {
  fake = await startFakeProviders();
  smtp = await startFakeSmtp();
  sys = await startSystem(
    {},
    {
      messaging: {
        channels: {
          sms: { baseUrl: fake.url, authKey: MSG91_KEY },
          whatsapp: { baseUrl: fake.url, phoneNumberId: WA_PHONE_ID, accessToken: WA_TOKEN },
          email: { host: '127.0.0.1', port: smtp.port, requireTls: false, from: 'StudySpot <no-reply@studyspot.test>' },
        },
        webhooks: { msg91Secret: MSG91_SECRET, whatsappAppSecret: WA_APP_SECRET },
      },
    },
  );
  webhookBase = sys.subgraphUrls.messaging.replace(/\/graphql$/, '');
  // Allocations draw from the platform master wallet: stock it first.
  await stockMasterWallet(sys);
});
afterAll(async () => {
  await sys?.stop();
  await fake?.stop();
  await smtp?.stop();
});

const SEND = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id body status creditsUsed channel providerMessageId } }`;
const CREATE_TEMPLATE = `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id status dltTemplateId senderId variables } }`;
const APPROVE = `mutation($id: ID!) { approveTemplate(id: $id) { id status } }`;
const REJECT = `mutation($id: ID!, $r: String!) { rejectTemplate(id: $id, reason: $r) { id status rejectionReason } }`;
const BULK = `mutation($i: SendBulkMessageInput!) { sendBulkMessage(input: $i) { id status total } }`;
const BULK_READ = `query($id: ID!) { bulkSend(id: $id) { id status total sent failed insufficientCredit error recipients { studentId status error messageId } } }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const codes = (res: { errors?: { extensions?: Record<string, any> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const count = (t: TestTenant, coll: string) => tenantDb(t).collection(coll).countDocuments();
const phone = () => `+9198${randomBytes(4).readUInt32BE(0).toString().padStart(8, '0').slice(0, 8)}`;

async function setup(slug: string, credits: Partial<Record<'SMS' | 'WHATSAPP' | 'EMAIL', number>> = {}) {
  const t = await sys.createTenant(slug);
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", capacity: 50 }) { id } }`, {}, { token: t.ownerToken });
  const libraryId: string = lib.createLibrary.id;
  for (const [channel, amount] of Object.entries(credits)) {
    await sys.ok(
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
      { i: { tenantId: t.id, channel, amount, idempotencyKey: `k-${slug}-${channel}-${randomBytes(4).toString('hex')}` } },
      { token: sys.superToken, tenant: t.slug },
    );
  }
  return { t, libraryId };
}

async function addStudent(t: TestTenant, libraryId: string, name: string, extra: Record<string, string> = {}) {
  const p = extra.phone ?? phone();
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: p, libraryId, ...extra } },
    { token: t.ownerToken },
  );
  return { id: data.createStudent.id as string, phone: p };
}

const wallet = async (t: TestTenant) => (await sys.ok(`{ wallet { sms whatsapp email } }`, {}, { token: t.ownerToken })).wallet;

/** An SMS template registered on DLT and approved by the owner. */
async function approvedSms(t: TestTenant, name = 'Fee due', body = 'Hi {#name#}, fee {#amount#} due') {
  const tpl = await sys.ok(CREATE_TEMPLATE, { i: { name, channel: 'SMS', body, dlt: DLT } }, { token: t.ownerToken });
  await sys.ok(APPROVE, { id: tpl.createTemplate.id }, { token: t.ownerToken });
  return tpl.createTemplate.id as string;
}

const flowCalls = () => fake.requests.filter((r) => r.path === '/api/v5/flow/');
const waCalls = () => fake.requests.filter((r) => r.path.endsWith('/messages'));

describe('DLT templates', () => {
  it('new SMS templates are PENDING; only APPROVED ones go out, through MSG91 with the DLT id and variables', async () => {
    const { t, libraryId } = await setup('ch-dlt', { SMS: 5 });
    const s = await addStudent(t, libraryId, 'Asha');
    const noDlt = await sys.gql(CREATE_TEMPLATE, { i: { name: 'x', channel: 'SMS', body: 'hi' } }, { token: t.ownerToken });
    expect(codes(noDlt)).toEqual(['BAD_USER_INPUT']);
    const badDlt = await sys.gql(
      CREATE_TEMPLATE,
      { i: { name: 'x', channel: 'SMS', body: 'hi', dlt: { ...DLT, senderId: 'toolong1' } } },
      { token: t.ownerToken },
    );
    expect(codes(badDlt)).toEqual(['BAD_USER_INPUT']);
    expect(await count(t, 'templates')).toBe(0);

    const tpl = (await sys.ok(CREATE_TEMPLATE, { i: { name: 'Fee', channel: 'SMS', body: 'Hi {#name#}, pay {#amount#}', dlt: DLT } }, { token: t.ownerToken }))
      .createTemplate;
    expect(tpl).toMatchObject({ status: 'PENDING', dltTemplateId: DLT.templateId, senderId: 'STDSPT', variables: ['name', 'amount'] });
    const vars = [
      { name: 'name', value: 'Asha' },
      { name: 'amount', value: 'Rs 500' },
    ];
    const before = flowCalls().length;

    const pending = await sys.gql(SEND, { i: { studentId: s.id, channel: 'SMS', templateId: tpl.id, variables: vars } }, { token: t.ownerToken });
    expect(codes(pending)).toEqual(['BAD_USER_INPUT']);
    expect(pending.errors![0].message).toMatch(/PENDING/);
    const freeText = await sys.gql(SEND, { i: { studentId: s.id, channel: 'SMS', body: 'hello' } }, { token: t.ownerToken });
    expect(codes(freeText)).toEqual(['BAD_USER_INPUT']);
    expect(freeText.errors![0].message).toMatch(/DLT/);

    // The manager may write templates but not record their approval; staff neither.
    const manager = await sys.userToken(t, 'manager');
    expect(codes(await sys.gql(APPROVE, { id: tpl.id }, { token: manager }))).toEqual(['FORBIDDEN']);
    expect(codes(await sys.gql(APPROVE, { id: 'nope' }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);
    const other = await setup('ch-dlt-other');
    expect(codes(await sys.gql(APPROVE, { id: tpl.id }, { token: other.t.ownerToken }))).toEqual(['NOT_FOUND']);
    expect((await tenantDb(t).collection('templates').findOne({}))?.status).toBe('pending');

    expect((await sys.ok(APPROVE, { id: tpl.id }, { token: t.ownerToken })).approveTemplate.status).toBe('APPROVED');
    expect(codes(await sys.gql(APPROVE, { id: tpl.id }, { token: t.ownerToken }))).toEqual(['CONFLICT']);

    const tooLong = await sys.gql(
      SEND,
      {
        i: { studentId: s.id, channel: 'SMS', templateId: tpl.id, variables: [vars[0], { name: 'amount', value: 'x'.repeat(31) }] },
      },
      { token: t.ownerToken },
    );
    expect(codes(tooLong)).toEqual(['BAD_USER_INPUT']);
    expect(tooLong.errors![0].message).toMatch(/amount.*30/);
    expect(flowCalls().length).toBe(before);
    expect(await count(t, 'messages')).toBe(0);
    expect((await wallet(t)).sms).toBe(5);

    const sent = (await sys.ok(SEND, { i: { studentId: s.id, channel: 'SMS', templateId: tpl.id, variables: vars } }, { token: t.ownerToken })).sendMessage;
    expect(sent).toMatchObject({ status: 'SENT', body: 'Hi Asha, pay Rs 500', providerMessageId: expect.stringMatching(/^msg91-req-/) });
    const call = flowCalls().at(-1)!;
    expect(call.headers.authkey).toBe(MSG91_KEY);
    expect(call.body).toEqual({
      template_id: DLT.templateId,
      short_url: '0',
      recipients: [{ mobiles: s.phone.replace('+', ''), name: 'Asha', amount: 'Rs 500' }],
    });
    expect((await wallet(t)).sms).toBe(4);
    expect(await tenantDb(t).collection('messages').findOne({})).toMatchObject({ provider: 'msg91', providerId: sent.providerMessageId });
    expect(await sys.db.platform().collection('message_index').findOne({ providerMessageId: sent.providerMessageId })).toMatchObject({
      tenantId: t.id,
      provider: 'msg91',
    });
  });

  it('a REJECTED template (rejected while pending or withdrawn after approval) cannot be sent; a super admin may approve', async () => {
    const { t, libraryId } = await setup('ch-reject', { SMS: 5 });
    const s = await addStudent(t, libraryId, 'Bina');
    const a = (await sys.ok(CREATE_TEMPLATE, { i: { name: 'A', channel: 'SMS', body: 'Hello', dlt: DLT } }, { token: t.ownerToken })).createTemplate;
    const b = (await sys.ok(CREATE_TEMPLATE, { i: { name: 'B', channel: 'SMS', body: 'Bye', dlt: DLT } }, { token: t.ownerToken })).createTemplate;
    expect(codes(await sys.gql(REJECT, { id: a.id, r: '  ' }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);
    expect((await sys.ok(REJECT, { id: a.id, r: 'Header mismatch' }, { token: t.ownerToken })).rejectTemplate).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Header mismatch',
    });
    expect(codes(await sys.gql(APPROVE, { id: a.id }, { token: t.ownerToken }))).toEqual(['CONFLICT']);
    expect((await sys.ok(APPROVE, { id: b.id }, { token: sys.superToken, tenant: t.slug })).approveTemplate.status).toBe('APPROVED');
    await sys.ok(REJECT, { id: b.id, r: 'Withdrawn at DLT' }, { token: t.ownerToken });
    for (const id of [a.id, b.id]) {
      const res = await sys.gql(SEND, { i: { studentId: s.id, channel: 'SMS', templateId: id, variables: [] } }, { token: t.ownerToken });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/REJECTED/);
    }
    expect(await count(t, 'messages')).toBe(0);
    expect((await wallet(t)).sms).toBe(5);
  });
});

describe('channel providers', () => {
  it('WhatsApp goes to the Cloud API: template with body parameters, or text; bearer token', async () => {
    const { t, libraryId } = await setup('ch-wa', { WHATSAPP: 5 });
    const s = await addStudent(t, libraryId, 'Chetan');
    const tpl = (
      await sys.ok(
        CREATE_TEMPLATE,
        {
          i: { name: 'Seat ready', channel: 'WHATSAPP', body: 'Hi {#name#}, seat {#seat#} is ready', whatsappName: 'seat_ready', language: 'en_US' },
        },
        { token: t.ownerToken },
      )
    ).createTemplate;
    expect(tpl.status).toBe('APPROVED');
    const sent = (
      await sys.ok(
        SEND,
        {
          i: {
            studentId: s.id,
            channel: 'WHATSAPP',
            templateId: tpl.id,
            variables: [
              { name: 'seat', value: 'A-12' },
              { name: 'name', value: 'Chetan' },
            ],
          },
        },
        { token: t.ownerToken },
      )
    ).sendMessage;
    expect(sent.providerMessageId).toMatch(/^wamid\./);
    const call = waCalls().at(-1)!;
    expect(call.path).toBe(`/v19.0/${WA_PHONE_ID}/messages`);
    expect(call.headers.authorization).toBe(`Bearer ${WA_TOKEN}`);
    expect(call.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: s.phone.replace('+', ''),
      type: 'template',
      template: {
        name: 'seat_ready',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Chetan' },
              { type: 'text', text: 'A-12' },
            ],
          },
        ],
      },
    });
    await sys.ok(SEND, { i: { studentId: s.id, channel: 'WHATSAPP', body: 'Library opens at 7' } }, { token: t.ownerToken });
    expect(waCalls().at(-1)!.body).toMatchObject({ type: 'text', text: { body: 'Library opens at 7' } });
    expect((await wallet(t)).whatsapp).toBe(3);
  });

  it("email goes over SMTP to the student's address with the text", async () => {
    const { t, libraryId } = await setup('ch-mail', { EMAIL: 2 });
    const s = await addStudent(t, libraryId, 'Dev', { email: 'dev@student.test' });
    const before = smtp.mails.length;
    const sent = (await sys.ok(SEND, { i: { studentId: s.id, channel: 'EMAIL', body: 'Your invoice is ready' } }, { token: t.ownerToken })).sendMessage;
    expect(sent.status).toBe('SENT');
    expect(smtp.mails.length).toBe(before + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.to).toEqual(['dev@student.test']);
    expect(mail.from).toBe('no-reply@studyspot.test');
    expect(mail.raw).toContain('Your invoice is ready');
    expect(mail.raw).toMatch(/^To: dev@student\.test/m);
    expect((await wallet(t)).email).toBe(1);
  });

  it('a provider failure refunds, writes no message and no index entry (HTTP 500 and SMTP refusal)', async () => {
    const { t, libraryId } = await setup('ch-fail', { SMS: 2, WHATSAPP: 2, EMAIL: 2 });
    const s = await addStudent(t, libraryId, 'Esha', { email: 'esha@student.test' });
    const tplId = await approvedSms(t, 'Due', 'Pay {#amount#}');
    const indexBefore = await sys.db.platform().collection('message_index').countDocuments();
    fake.fail = true;
    smtp.fail = true;
    try {
      const inputs = [
        { channel: 'SMS', templateId: tplId, variables: [{ name: 'amount', value: '500' }] },
        { channel: 'WHATSAPP', body: 'hi' },
        { channel: 'EMAIL', body: 'hi' },
      ];
      for (const i of inputs) {
        expect(codes(await sys.gql(SEND, { i: { studentId: s.id, ...i } }, { token: t.ownerToken }))).toEqual(['SERVICE_UNAVAILABLE']);
      }
    } finally {
      fake.fail = false;
      smtp.fail = false;
    }
    expect(await wallet(t)).toEqual({ sms: 2, whatsapp: 2, email: 2 });
    expect(await count(t, 'messages')).toBe(0);
    expect(await sys.db.platform().collection('message_index').countDocuments()).toBe(indexBefore);
  });
});

describe('delivery-report webhooks', () => {
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${webhookBase}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const waSign = (body: string) => `sha256=${createHmac('sha256', WA_APP_SECRET).update(body).digest('hex')}`;
  const waReport = (id: string, status: string) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'x', changes: [{ field: 'messages', value: { statuses: [{ id, status, timestamp: '1' }] } }] }],
    });
  const msg91Report = (requestId: string, status: string, desc: string) => JSON.stringify([{ requestId, report: [{ status, desc, number: '919800000000' }] }]);
  const statusOf = async (t: TestTenant, id: string) =>
    (await sys.ok(`{ messages { id status } }`, {}, { token: t.ownerToken })).messages.find((m: { id: string }) => m.id === id).status;

  it('WhatsApp: HMAC over the raw body; status only moves forward, whatever the order or repetition', async () => {
    const { t, libraryId } = await setup('ch-wh-wa', { WHATSAPP: 3 });
    const s = await addStudent(t, libraryId, 'Farah');
    const m = (await sys.ok(SEND, { i: { studentId: s.id, channel: 'WHATSAPP', body: 'hi' } }, { token: t.ownerToken })).sendMessage;

    const delivered = waReport(m.providerMessageId, 'delivered');
    expect((await post('/webhooks/whatsapp', delivered, {})).status).toBe(401);
    expect((await post('/webhooks/whatsapp', delivered, { 'x-hub-signature-256': waSign(delivered + ' ') })).status).toBe(401);
    // Same JSON, different bytes: the signature is over the raw body.
    const reformatted = JSON.stringify(JSON.parse(delivered), null, 2);
    expect((await post('/webhooks/whatsapp', reformatted, { 'x-hub-signature-256': waSign(delivered) })).status).toBe(401);
    expect(await statusOf(t, m.id)).toBe('SENT');

    const read = waReport(m.providerMessageId, 'read');
    const res = await post('/webhooks/whatsapp', read, { 'x-hub-signature-256': waSign(read) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1, updated: 1 });
    expect(await statusOf(t, m.id)).toBe('READ');
    // Late DELIVERED, repeated READ, FAILED after READ: no change.
    for (const body of [delivered, read, waReport(m.providerMessageId, 'failed')]) {
      const r = await post('/webhooks/whatsapp', body, { 'x-hub-signature-256': waSign(body) });
      expect(await r.json()).toEqual({ received: 1, updated: 0 });
    }
    expect(await statusOf(t, m.id)).toBe('READ');
    const unknown = waReport('wamid.unknown', 'read');
    expect(await (await post('/webhooks/whatsapp', unknown, { 'x-hub-signature-256': waSign(unknown) })).json()).toEqual({ received: 1, updated: 0 });
    expect((await post('/webhooks/whatsapp', '{not json', { 'x-hub-signature-256': waSign('{not json') })).status).toBe(400);
  });

  it('MSG91: shared secret header; FAILED is final and DELIVERED does not go back', async () => {
    const { t, libraryId } = await setup('ch-wh-msg91', { SMS: 3 });
    const s = await addStudent(t, libraryId, 'Gita');
    const tplId = await approvedSms(t, 'Hello', 'Hello {#name#}');
    const send = async () =>
      (
        await sys.ok(
          SEND,
          {
            i: { studentId: s.id, channel: 'SMS', templateId: tplId, variables: [{ name: 'name', value: 'Gita' }] },
          },
          { token: t.ownerToken },
        )
      ).sendMessage;
    const m1 = await send();
    const m2 = await send();

    const ok1 = msg91Report(m1.providerMessageId, '1', 'DELIVERED');
    expect((await post('/webhooks/msg91', ok1, {})).status).toBe(401);
    expect((await post('/webhooks/msg91', ok1, { 'x-webhook-secret': 'wrong' })).status).toBe(401);
    expect(await statusOf(t, m1.id)).toBe('SENT');
    const h = { 'x-webhook-secret': MSG91_SECRET };
    expect((await post('/webhooks/msg91', ok1, h)).status).toBe(200);
    expect(await (await post('/webhooks/msg91', ok1, h)).json()).toEqual({ received: 1, updated: 0 });
    await post('/webhooks/msg91', msg91Report(m1.providerMessageId, '2', 'FAILED'), h);
    expect(await statusOf(t, m1.id)).toBe('DELIVERED');

    await post('/webhooks/msg91', msg91Report(m2.providerMessageId, '16', 'REJECTED'), h);
    await post('/webhooks/msg91', msg91Report(m2.providerMessageId, '1', 'DELIVERED'), h);
    expect(await statusOf(t, m2.id)).toBe('FAILED');
    // A WhatsApp report cannot reach an SMS message through the other webhook.
    const cross = waReport(m1.providerMessageId, 'read');
    await post('/webhooks/whatsapp', cross, { 'x-hub-signature-256': waSign(cross) });
    expect(await statusOf(t, m1.id)).toBe('DELIVERED');
  });
});

describe('bulk send', () => {
  const waitDone = async (t: TestTenant, id: string) => {
    for (let i = 0; i < 100; i++) {
      const bulk = (await sys.ok(BULK_READ, { id }, { token: t.ownerToken })).bulkSend;
      if (bulk.status === 'DONE') return bulk;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('bulk send did not finish');
  };

  it('6 matching (active) students of 7, 4 credits: exactly 4 sent, 2 INSUFFICIENT_BALANCE, balance 0, per-recipient statuses', async () => {
    const { t, libraryId } = await setup('ch-bulk', { SMS: 4 });
    const students = [];
    for (let i = 0; i < 6; i++) students.push(await addStudent(t, libraryId, `Student ${i}`));
    // Left out by the filter: an inactive student.
    const gone = await addStudent(t, libraryId, 'Gone');
    await sys.ok(`mutation($id: ID!) { updateStudent(id: $id, input: { status: INACTIVE }) { id } }`, { id: gone.id }, { token: t.ownerToken });
    const tplId = await approvedSms(t, 'Holiday', 'Library closed on {#date#}');
    const input = {
      channel: 'SMS',
      templateId: tplId,
      variables: [{ name: 'date', value: '26 Jan' }],
      filter: { libraryId, status: 'ACTIVE' },
      idempotencyKey: 'bulk-holiday-1',
    };
    const before = flowCalls().length;

    const staff = await sys.userToken(t, 'staff');
    expect(codes(await sys.gql(BULK, { i: input }, { token: staff }))).toEqual(['FORBIDDEN']);
    const bad = await sys.gql(BULK, { i: { ...input, filter: { libraryId: 'nope' } } }, { token: t.ownerToken });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await sys.gql(BULK, { i: { ...input, variables: [] } }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);
    expect(await count(t, 'bulk_sends')).toBe(0);

    const started = (await sys.ok(BULK, { i: input }, { token: t.ownerToken })).sendBulkMessage;
    expect(started.status).toBe('RUNNING');
    const again = (await sys.ok(BULK, { i: input }, { token: t.ownerToken })).sendBulkMessage;
    expect(again.id).toBe(started.id);

    const done = await waitDone(t, started.id);
    expect({ total: done.total, sent: done.sent, failed: done.failed, insufficient: done.insufficientCredit, error: done.error }).toEqual({
      total: 6,
      sent: 4,
      failed: 0,
      insufficient: 2,
      error: null,
    });
    expect(done.recipients).toHaveLength(6);
    expect(new Set(done.recipients.map((r: { studentId: string }) => r.studentId))).toEqual(new Set(students.map((s) => s.id)));
    const byStatus = (st: string) => done.recipients.filter((r: { status: string }) => r.status === st);
    expect(byStatus('SENT')).toHaveLength(4);
    expect(byStatus('SENT').every((r: { messageId: string | null }) => r.messageId)).toBe(true);
    expect(byStatus('INSUFFICIENT_BALANCE')).toHaveLength(2);
    expect(byStatus('INSUFFICIENT_BALANCE')[0].error).toBeTruthy();
    expect((await wallet(t)).sms).toBe(0);
    expect(await count(t, 'messages')).toBe(4);
    expect(flowCalls().length - before).toBe(4);
    expect(flowCalls().at(-1)!.body.recipients[0].date).toBe('26 Jan');

    const other = await setup('ch-bulk-other');
    expect((await sys.ok(BULK_READ, { id: started.id }, { token: other.t.ownerToken })).bulkSend).toBeNull();
  });
});
