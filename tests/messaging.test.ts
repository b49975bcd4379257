import { stockMasterWallet } from './helpers/fixtures';
import { randomBytes } from 'node:crypto';
import { LogProvider, type ProviderFactory } from '../subgraphs/messaging/message.provider';
import { startSystem, type System, type TestTenant } from './helpers/system';

/** The log provider, or one that fails every delivery while `providerDown` is set. */
let providerDown = false;
const provider: ProviderFactory = (log) => {
  const real = new LogProvider(log);
  return {
    name: real.name,
    send: (channel, to, body) => (providerDown ? Promise.reject(new Error('provider down')) : real.send(channel, to, body)),
  };
};

let sys: System;
beforeAll(async () => {
  sys = await startSystem({}, { messaging: { provider } });
  // Allocations draw from the platform master wallet: stock it first.
  await stockMasterWallet(sys);
});
afterAll(() => sys?.stop());

const SEND = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id body status creditsUsed channel student { id } } }`;
const CREATE_TEMPLATE = `mutation($i: CreateTemplateInput!) { createTemplate(input: $i) { id name channel body variables status } }`;
const NOTIFICATIONS = `query($u: Boolean) { notifications(unreadOnly: $u) { id type title body read } }`;
/** Only the credit notices (the tenant also gets e.g. STUDENT_CREATED ones from domain events). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
const low = (list: any[]): any[] => list.filter((n) => n.type === 'LOW_CREDIT_BALANCE');

interface Fixture {
  t: TestTenant;
  studentId: string;
}

/** A tenant with one library and one student (phone, optional email), and `sms` SMS credits. */
async function setup(slug: string, sms = 0, email?: string): Promise<Fixture> {
  const t = await sys.createTenant(slug);
  const lib = await sys.ok(`mutation { createLibrary(input: { name: "Main", capacity: 30 }) { id } }`, {}, { token: t.ownerToken });
  const studentId = await addStudent(t, lib.createLibrary.id, 'Asha Rao', email);
  if (sms > 0) await allocate(t, sms);
  return { t, studentId };
}

async function addStudent(t: TestTenant, libraryId: string, name: string, email?: string): Promise<string> {
  const phone = `+9198${randomBytes(4).readUInt32BE(0).toString().padStart(8, '0').slice(0, 8)}`;
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone, libraryId, ...(email ? { email } : {}) } },
    { token: t.ownerToken },
  );
  return data.createStudent.id;
}

async function allocate(t: TestTenant, amount: number): Promise<void> {
  const key = `test-${t.slug}-${randomBytes(6).toString('hex')}`;
  await sys.ok(
    `mutation { allocateCredits(input: { tenantId: "${t.id}", channel: SMS, amount: ${amount}, idempotencyKey: "${key}" }) { sms } }`,
    {},
    { token: sys.superToken, tenant: t.slug },
  );
}

const smsBalance = async (t: TestTenant): Promise<number> => (await sys.ok(`{ wallet { sms } }`, {}, { token: t.ownerToken })).wallet.sms;

const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const messageDocs = (t: TestTenant) => tenantDb(t).collection('messages').countDocuments();
const lowBalanceDocs = (t: TestTenant) => tenantDb(t).collection('notifications').countDocuments({ type: 'LOW_CREDIT_BALANCE' });

const codes = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => (res.errors ?? []).map((e) => e.extensions?.code);

describe('messaging subgraph through the gateway', () => {
  it('sends a templated SMS: it shows on the student with its count, and costs one credit', async () => {
    const { t, studentId } = await setup('msg-happy', 20);
    const tpl = await sys.ok(
      CREATE_TEMPLATE,
      { i: { name: 'Fee due', channel: 'SMS', body: 'Hi {#name#}, your fee of {#amount#} is due. Thanks, {#name#}!' } },
      { token: t.ownerToken },
    );
    expect(tpl.createTemplate).toMatchObject({ channel: 'SMS', variables: ['name', 'amount'], status: 'APPROVED' });

    const sent = await sys.ok(
      SEND,
      {
        i: {
          studentId,
          channel: 'SMS',
          templateId: tpl.createTemplate.id,
          variables: [
            { name: 'amount', value: 'Rs 500 $&' },
            { name: 'name', value: 'Asha' },
          ],
        },
      },
      { token: t.ownerToken },
    );
    expect(sent.sendMessage).toMatchObject({
      body: 'Hi Asha, your fee of Rs 500 $& is due. Thanks, Asha!',
      status: 'SENT',
      creditsUsed: 1,
      channel: 'SMS',
      student: { id: studentId },
    });
    await sys.ok(SEND, { i: { studentId, channel: 'SMS', body: 'Library closed tomorrow' } }, { token: t.ownerToken });

    const read = await sys.ok(
      `query($id: ID!) { student(id: $id) { name messages { body status } messageCount } }`,
      { id: studentId },
      { token: t.ownerToken },
    );
    expect(read.student).toEqual({
      name: 'Asha Rao',
      messageCount: 2,
      messages: [
        { body: 'Library closed tomorrow', status: 'SENT' },
        { body: 'Hi Asha, your fee of Rs 500 $& is due. Thanks, Asha!', status: 'SENT' },
      ],
    });
    const firstOnly = await sys.ok(`query($id: ID!) { student(id: $id) { messages(first: 1) { body } } }`, { id: studentId }, { token: t.ownerToken });
    expect(firstOnly.student.messages).toEqual([{ body: 'Library closed tomorrow' }]);
    expect(await smsBalance(t)).toBe(18);

    const listed = await sys.ok(`query($s: ID) { messages(studentId: $s) { body student { id name } } }`, { s: studentId }, { token: t.ownerToken });
    expect(listed.messages).toHaveLength(2);
    expect(listed.messages[0].student).toEqual({ id: studentId, name: 'Asha Rao' });
    const templates = await sys.ok(`{ sms: templates(channel: SMS) { name } email: templates(channel: EMAIL) { name } }`, {}, { token: t.ownerToken });
    expect(templates).toEqual({ sms: [{ name: 'Fee due' }], email: [] });

    const doc = await tenantDb(t).collection('messages').findOne({ body: 'Library closed tomorrow' });
    expect(doc).toMatchObject({ status: 'sent', channel: 'sms', creditsUsed: 1, provider: 'log' });
  });

  it('batches messageCount and messages across many students of a list', async () => {
    const { t, studentId } = await setup('msg-batch', 10);
    const libraryId = (await sys.ok(`{ libraries { id } }`, {}, { token: t.ownerToken })).libraries[0].id;
    const other = await addStudent(t, libraryId, 'Bina');
    await addStudent(t, libraryId, 'Chetan');
    // Bina's message is the oldest: Asha's three newer ones fill the batch's first read for `first: 1`.
    for (const [id, n] of [
      [other, 1],
      [studentId, 3],
    ] as const) {
      for (let i = 0; i < n; i++) await sys.ok(SEND, { i: { studentId: id, channel: 'SMS', body: `note ${i}` } }, { token: t.ownerToken });
    }
    const data = await sys.ok(
      `{ students { edges { node { name messageCount messages(first: 1) { body } two: messages(first: 2) { body } } } } }`,
      {},
      { token: t.ownerToken },
    );
    const byName = Object.fromEntries(data.students.edges.map((e: { node: { name: string } }) => [e.node.name, e.node]));
    expect(byName['Asha Rao']).toMatchObject({ messageCount: 3, messages: [{ body: 'note 2' }], two: [{ body: 'note 2' }, { body: 'note 1' }] });
    expect(byName.Bina).toMatchObject({ messageCount: 1, messages: [{ body: 'note 0' }], two: [{ body: 'note 0' }] });
    expect(byName.Chetan).toMatchObject({ messageCount: 0, messages: [], two: [] });
  });

  it('25 concurrent sends on 10 credits: exactly 10 SENT, 15 INSUFFICIENT_BALANCE, one low-balance notice', async () => {
    const { t, studentId } = await setup('msg-race', 10);
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => sys.gql(SEND, { i: { studentId, channel: 'SMS', body: `race ${i}` } }, { token: t.ownerToken })),
    );
    const sent = results.filter((r) => r.data?.sendMessage?.status === 'SENT');
    const refused = results.filter((r) => codes(r)[0] === 'INSUFFICIENT_BALANCE');
    // One assertion, so a failure shows the whole picture (over-debit, lost message, extra notice).
    expect({
      sent: sent.length,
      refused: refused.length,
      docs: await messageDocs(t),
      balance: await smsBalance(t),
      notices: await lowBalanceDocs(t),
    }).toEqual({ sent: 10, refused: 15, docs: 10, balance: 0, notices: 1 });
    const count = await sys.ok(`query($id: ID!) { student(id: $id) { messageCount } }`, { id: studentId }, { token: t.ownerToken });
    expect(count.student.messageCount).toBe(10);
  });

  it('notifies low balance once when crossing from 10 to 9, not again at 8; staff can read and mark it', async () => {
    const { t, studentId } = await setup('msg-low', 11);
    const send = () => sys.ok(SEND, { i: { studentId, channel: 'SMS', body: 'hello' } }, { token: t.ownerToken });
    await send(); // 11 → 10
    expect(await lowBalanceDocs(t)).toBe(0);
    await send(); // 10 → 9
    await send(); // 9 → 8
    expect(await smsBalance(t)).toBe(8);
    expect(await lowBalanceDocs(t)).toBe(1);

    const staff = await sys.userToken(t, 'staff');
    const unread = { notifications: low((await sys.ok(NOTIFICATIONS, { u: true }, { token: staff })).notifications) };
    expect(unread.notifications).toHaveLength(1);
    expect(unread.notifications[0]).toMatchObject({ type: 'LOW_CREDIT_BALANCE', read: false });
    expect(unread.notifications[0].body).toMatch(/SMS/);
    expect(unread.notifications[0].body).toMatch(/\b9\b/);

    const marked = await sys.ok(`mutation($id: ID!) { markNotificationRead(id: $id) { id read } }`, { id: unread.notifications[0].id }, { token: staff });
    expect(marked.markNotificationRead.read).toBe(true);
    expect(low((await sys.ok(NOTIFICATIONS, { u: true }, { token: t.ownerToken })).notifications)).toEqual([]);
    expect(low((await sys.ok(NOTIFICATIONS, {}, { token: t.ownerToken })).notifications)).toHaveLength(1);
  });

  it("staff may neither send messages nor read a student's messages (FORBIDDEN), and nothing is debited", async () => {
    const { t, studentId } = await setup('msg-staff', 5);
    const staff = await sys.userToken(t, 'staff');
    const res = await sys.gql(SEND, { i: { studentId, channel: 'SMS', body: 'hi' } }, { token: staff });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const read = await sys.gql(`query($id: ID!) { student(id: $id) { name messages { body } } }`, { id: studentId }, { token: staff });
    expect(read.errors?.some((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.includes('messages'))).toBe(true);
    const count = await sys.gql(`query($id: ID!) { student(id: $id) { messageCount } }`, { id: studentId }, { token: staff });
    expect(codes(count)).toContain('FORBIDDEN');
    const templates = await sys.gql(CREATE_TEMPLATE, { i: { name: 'x', channel: 'SMS', body: 'x' } }, { token: staff });
    expect(codes(templates)).toEqual(['FORBIDDEN']);
    expect(await messageDocs(t)).toBe(0);
    expect(await smsBalance(t)).toBe(5);
    // A manager may send.
    const manager = await sys.userToken(t, 'manager');
    expect((await sys.ok(SEND, { i: { studentId, channel: 'SMS', body: 'hi' } }, { token: manager })).sendMessage.status).toBe('SENT');
  });

  it('rejects bad input with BAD_USER_INPUT, writing no message and debiting nothing', async () => {
    const { t, studentId } = await setup('msg-bad', 5);
    const tpl = await sys.ok(CREATE_TEMPLATE, { i: { name: 'Due', channel: 'SMS', body: 'Pay {#amount#} by {#date#}' } }, { token: t.ownerToken });
    const templateId = tpl.createTemplate.id;
    const v = (...names: string[]) => names.map((name) => ({ name, value: 'x' }));
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['both', { templateId, variables: v('amount', 'date'), body: 'hi' }, /templateId/],
      ['neither', {}, /templateId/],
      ['missing variable', { templateId, variables: v('amount') }, /date/],
      ['unknown variable', { templateId, variables: v('amount', 'date', 'extra') }, /extra/],
      ['duplicate variable', { templateId, variables: [...v('amount', 'date'), { name: 'date', value: 'y' }] }, /date/],
      ['over-long variable', { templateId, variables: [{ name: 'amount', value: 'x'.repeat(201) }, ...v('date')] }, /value/],
      ['variables with a body', { body: 'hi', variables: v('amount') }, /variables/],
      ['2000-char body', { body: 'x'.repeat(2000) }, /body/],
      ['blank body', { body: '   ' }, /body/],
      ['malformed studentId', { studentId: 'not-an-id', body: 'hi' }, /studentId/],
      ['malformed templateId', { templateId: '123', variables: [] }, /templateId/],
      ['template of another channel', { channel: 'WHATSAPP', templateId, variables: v('amount', 'date') }, /channel/],
      ['EMAIL to a student without email', { channel: 'EMAIL', body: 'hi' }, /email/],
    ];
    for (const [name, input, message] of cases) {
      const res = await sys.gql(SEND, { i: { studentId, channel: 'SMS', ...input } }, { token: t.ownerToken });
      expect({ name, codes: codes(res) }).toEqual({ name, codes: ['BAD_USER_INPUT'] });
      expect({ name, message: res.errors![0].message }).toEqual({ name, message: expect.stringMatching(message) });
    }
    const wrongType = await sys.gql(SEND, { i: { studentId, channel: 'FAX', body: 'hi' } }, { token: t.ownerToken });
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(await messageDocs(t)).toBe(0);
    expect(await smsBalance(t)).toBe(5);

    const badTemplates = [
      { name: 'Bad', channel: 'SMS', body: 'Hi {#first name#}' },
      { name: 'x'.repeat(101), channel: 'SMS', body: 'ok' },
      { name: 'Long', channel: 'SMS', body: 'x'.repeat(1001) },
    ];
    for (const input of badTemplates) {
      expect(codes(await sys.gql(CREATE_TEMPLATE, { i: input }, { token: t.ownerToken }))).toEqual(['BAD_USER_INPUT']);
    }
    const dup = await sys.gql(CREATE_TEMPLATE, { i: { name: 'Due', channel: 'SMS', body: 'again' } }, { token: t.ownerToken });
    expect(codes(dup)).toEqual(['CONFLICT']);
    expect(await tenantDb(t).collection('templates').countDocuments()).toBe(1);
  });

  it('refunds the credit and writes nothing when delivery fails', async () => {
    const { t, studentId } = await setup('msg-fail', 3);
    providerDown = true;
    try {
      const res = await sys.gql(SEND, { i: { studentId, channel: 'SMS', body: 'hi' } }, { token: t.ownerToken });
      expect(codes(res)).toEqual(['SERVICE_UNAVAILABLE']);
    } finally {
      providerDown = false;
    }
    expect(await messageDocs(t)).toBe(0);
    expect(await smsBalance(t)).toBe(3);
    expect((await sys.ok(SEND, { i: { studentId, channel: 'SMS', body: 'hi' } }, { token: t.ownerToken })).sendMessage.status).toBe('SENT');
    expect(await smsBalance(t)).toBe(2);
  });

  it("keeps tenants apart: B cannot message, read or template with A's ids", async () => {
    const a = await setup('msg-iso-a', 5);
    const b = await setup('msg-iso-b', 5);
    const tpl = await sys.ok(CREATE_TEMPLATE, { i: { name: 'A only', channel: 'SMS', body: 'hello' } }, { token: a.t.ownerToken });
    await sys.ok(SEND, { i: { studentId: a.studentId, channel: 'SMS', body: 'for A' } }, { token: a.t.ownerToken });

    const res = await sys.gql(SEND, { i: { studentId: a.studentId, channel: 'SMS', body: 'from B' } }, { token: b.t.ownerToken });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0].message).toMatch(/Student/);
    const viaTemplate = await sys.gql(
      SEND,
      { i: { studentId: b.studentId, channel: 'SMS', templateId: tpl.createTemplate.id, variables: [] } },
      { token: b.t.ownerToken },
    );
    expect(codes(viaTemplate)).toEqual(['NOT_FOUND']);
    expect(await smsBalance(a.t)).toBe(4);
    expect(await smsBalance(b.t)).toBe(5);
    expect(await messageDocs(a.t)).toBe(1);
    expect(await messageDocs(b.t)).toBe(0);

    const listed = await sys.ok(`query($s: ID) { messages(studentId: $s) { id } }`, { s: a.studentId }, { token: b.t.ownerToken });
    expect(listed.messages).toEqual([]);
    expect((await sys.ok(`{ templates { id } }`, {}, { token: b.t.ownerToken })).templates).toEqual([]);
  });

  it("markNotificationRead: another tenant's notification is NOT_FOUND and stays unread; malformed id is BAD_USER_INPUT", async () => {
    const a = await setup('msg-note-a', 10);
    const b = await setup('msg-note-b');
    await sys.ok(SEND, { i: { studentId: a.studentId, channel: 'SMS', body: 'hi' } }, { token: a.t.ownerToken }); // 10 → 9
    const [note] = low((await sys.ok(NOTIFICATIONS, {}, { token: a.t.ownerToken })).notifications);
    expect(note.type).toBe('LOW_CREDIT_BALANCE');

    const res = await sys.gql(`mutation($id: ID!) { markNotificationRead(id: $id) { id } }`, { id: note.id }, { token: b.t.ownerToken });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const unknown = await sys.gql(`mutation($id: ID!) { markNotificationRead(id: $id) { id } }`, { id: 'f'.repeat(24) }, { token: a.t.ownerToken });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    const bad = await sys.gql(`mutation { markNotificationRead(id: "nope") { id } }`, {}, { token: a.t.ownerToken });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(low((await sys.ok(NOTIFICATIONS, {}, { token: b.t.ownerToken })).notifications)).toEqual([]);
    expect(low((await sys.ok(NOTIFICATIONS, { u: true }, { token: a.t.ownerToken })).notifications)).toHaveLength(1);
  });
});
