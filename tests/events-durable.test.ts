import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Types } from 'mongoose';
import path from 'node:path';
import { run } from '../cli/program';
import type { Io } from '../cli/io';
import { outboxStatus } from '../core/events/admin';
import { emitEvent } from '../core/events/outbox';
import { CONSUMER_NAMES, DOMAIN_CONSUMERS } from '../subgraphs/events';
import { eventClaimModel, eventJobModel } from '../core/events/outbox.model';
import { projectRoot } from '../core/paths';
import { DbManager } from '../core/tenancy/db';
import { Cluster, clusterEnv } from '../scripts/chaos/cluster';
import { setupChaosData } from '../scripts/chaos/seed';
import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';
import { startFakeSmtp, type FakeSmtp } from './helpers/fake-messaging';

/**
 * Durable domain events with real processes (`node dist/…/main.js`, built by
 * `npm test`): messaging is SIGKILLed while students are created and payments
 * recorded through the gateway; after its restart every welcome and every
 * receipt reaches the SMTP server exactly once. And a handler that keeps failing
 * dead-letters its delivery, which the operator CLI replays once.
 */
jest.setTimeout(180_000);

const PASSWORD = 'durable-events-password';
const STUDENTS = 12;
let cluster: Cluster;
let db: DbManager;
let smtp: FakeSmtp;
let prefix: string;
let target: Awaited<ReturnType<typeof setupChaosData>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function gql(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(cluster.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.ownerToken}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] }; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Mails per recipient and kind (welcome / receipt), from what the SMTP server received. */
function received() {
  const counts = new Map<string, number>();
  for (const m of smtp.mails) {
    const kind = /Welcome to/.test(m.raw) ? 'welcome' : /Rs /.test(m.raw) ? 'receipt' : 'other';
    for (const to of m.to) counts.set(`${to}:${kind}`, (counts.get(`${to}:${kind}`) ?? 0) + 1);
  }
  return counts;
}

async function until(probe: () => Promise<boolean> | boolean, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return true;
    await sleep(100);
  }
  return false;
}

function cli(...argv: string[]) {
  const out: string[] = [];
  const io: Io = {
    env: { ...process.env, DB_PREFIX: prefix, NODE_ENV: 'test' },
    out: (t) => void out.push(t),
    err: (t) => void out.push(t),
    interactive: false,
  };
  return run(argv, io).then((code) => ({ code, out: out.join('\n') }));
}

beforeAll(async () => {
  if (!existsSync(path.join(projectRoot(), 'dist/gateway/main.js'))) throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  smtp = await startFakeSmtp();
  prefix = `t${randomBytes(4).toString('hex')}_`;
  cluster = new Cluster(
    clusterEnv(process.env.MONGODB_URI!, prefix, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_FROM: 'StudySpot <no-reply@studyspot.test>',
      SMTP_REQUIRE_TLS: 'false',
      // Fast for the test: poll 200 ms, a killed holder's lease ends after 3 s, three attempts 100 → 200 ms apart.
      EVENTS_POLL_MS: '200',
      EVENTS_LEASE_MS: '3000',
      EVENTS_MAX_ATTEMPTS: '3',
      EVENTS_BACKOFF_MS: '100',
      EVENTS_BACKOFF_MAX_MS: '400',
    }),
  );
  db = await DbManager.connect(process.env.MONGODB_URI!, prefix);
  await upsertPlatformUser(db, { email: 'durable@studyspot.test', name: 'Durable', password: PASSWORD, role: 'super_admin' });
  await cluster.start();
  target = await setupChaosData(cluster.gatewayUrl, 'durable@studyspot.test', PASSWORD);
  const su = { authorization: `Bearer ${target.superToken}`, 'x-tenant': target.slug };
  const vendor = await gql(`mutation { createVendor(input: { name: "Mail", channel: EMAIL, costPaisePerCredit: 1 }) { id } }`, {}, su);
  await gql(
    `mutation($v: ID!) { purchaseCreditsFromVendor(vendorId: $v, credits: 10000, idempotencyKey: "durable-mail") { id } }`,
    { v: vendor.createVendor.id },
    su,
  );
  await gql(
    `mutation($t: ID!) { allocateCredits(input: { tenantId: $t, channel: EMAIL, amount: 1000, idempotencyKey: "durable-alloc" }) { email } }`,
    { t: target.tenantId },
    su,
  );
  await gql(
    `mutation { updateAutomationSettings(input: { welcome: { enabled: true, channel: EMAIL }, receipt: { enabled: true, channel: EMAIL } }) { updatedAt } }`,
  );
});

afterAll(async () => {
  await cluster?.stop();
  await db
    ?.platform()
    .dropDatabase()
    .catch(() => undefined);
  await db?.close();
  await smtp?.stop();
});

it('SIGKILL of messaging while students are created and payments recorded: after restart every welcome and receipt is sent exactly once', async () => {
  const lib = (await gql(`{ libraries { id } }`)).libraries[0].id as string;
  const emails: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let active = 0;
  const enrol = async (i: number) => {
    await gate;
    active++;
    const email = `durable${i}@students.test`;
    const s = await gql(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, {
      i: { name: `Student ${i}`, email, phone: `+91980000${String(i).padStart(4, '0')}`, libraryId: lib },
    });
    await gql(`mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`, {
      i: { studentId: s.createStudent.id, amount: 50000 + i, method: 'CASH', idempotencyKey: `durable-pay-${i}` },
    });
    emails.push(email);
    active--;
  };
  // Three writers. Once messaging has sent what the first students triggered, the writers pause
  // for the SIGKILL (a kill during a provider call itself is the one case that cannot be exactly
  // once: docs/reliability.md), then go on while messaging is dead; its outbox deliveries wait.
  let open!: () => void;
  const writers = [0, 1, 2].map(async (w) => {
    for (let i = w; i < STUDENTS; i += 3) await enrol(i);
  });
  expect(await until(() => emails.length >= 3, 20_000)).toBe(true);
  gate = new Promise((r) => {
    open = r;
  });
  const written = await until(async () => {
    const busy = await Promise.all(
      (['messaging.welcome', 'messaging.receipt'] as const).map((consumer) => eventJobModel(db.platform()).countDocuments({ consumer, status: 'pending' })),
    );
    return active === 0 && smtp.mails.length >= 2 * emails.length && busy.every((n) => n === 0);
  }, 20_000);
  expect(written).toBe(true);
  await cluster.kill('messaging', 'SIGKILL');
  const sentAtKill = smtp.mails.length;
  open();
  await Promise.all(writers); // the writes never needed messaging
  expect(emails).toHaveLength(STUDENTS);
  await sleep(500);
  expect(smtp.mails.length).toBe(sentAtKill); // nothing is sent while messaging is down…
  expect((await outboxStatus(db.platform(), CONSUMER_NAMES)).find((x) => x.consumer === 'messaging.welcome')!.pending).toBeGreaterThan(0);

  // One welcome as a crash right after its send claim would leave it: outbox attempt 1 claimed by a
  // dead process (lease over), automation claim pending and never marked as sending. It must be sent.
  const [stranded] = await eventJobModel(db.platform()).find({ consumer: 'messaging.welcome', status: 'pending' }).limit(1).lean();
  await eventClaimModel(db.platform()).create({ _id: `${stranded._id}#1`, owner: 'killed', leaseUntil: new Date(Date.now() - 1) });
  const studentId = (stranded.payload as { studentId: string }).studentId;
  await db
    .tenant(db.tenantDbName(target.slug))
    .collection('automation_sends')
    .insertOne({
      key: `welcome:${studentId}`,
      kind: 'welcome',
      studentId: new Types.ObjectId(studentId),
      status: 'pending',
      createdAt: new Date(),
      updatedAt: new Date(),
    });

  await cluster.startService('messaging'); // …and everything after its restart
  const allSent = await until(() => smtp.mails.length >= 2 * STUDENTS, 30_000);
  expect(allSent).toBe(true);
  await sleep(3500); // longer than a lease: a duplicate would have come by now
  const counts = received();
  for (const email of emails) {
    expect([email, counts.get(`${email}:welcome`), counts.get(`${email}:receipt`)]).toEqual([email, 1, 1]);
  }
  expect(smtp.mails.length).toBe(2 * STUDENTS);
  expect(await eventJobModel(db.platform()).findById(stranded._id).lean()).toMatchObject({ status: 'done', attempts: 2 });
  const status = await outboxStatus(db.platform(), CONSUMER_NAMES);
  for (const s of status.filter((x) => x.consumer.startsWith('messaging.'))) expect(s).toMatchObject({ pending: 0, retrying: 0, dead: 0 });
});

it('a handler that keeps failing dead-letters its delivery after the configured attempts; the CLI replays it and the receipt goes out once', async () => {
  const settings = (receipt: boolean) =>
    gql(`mutation($r: Boolean!) { updateAutomationSettings(input: { receipt: { enabled: $r, channel: EMAIL } }) { updatedAt } }`, { r: receipt });
  const lib = (await gql(`{ libraries { id } }`)).libraries[0].id as string;
  const email = 'deadletter@students.test';
  await settings(false);
  const s = await gql(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, {
    i: { name: 'Dead Letter', email, phone: '+919811112222', libraryId: lib },
  });
  const studentId = s.createStudent.id as string;
  const p = await gql(`mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`, { i: { studentId, amount: 70000, method: 'CASH' } });
  const paymentId = p.recordPayment.id as string;
  const first = `messaging.receipt|payment.recorded:${paymentId}`;
  // Receipts off: that delivery is done without a receipt.
  expect(await until(async () => (await eventJobModel(db.platform()).findById(first).lean())?.status === 'done', 15_000)).toBe(true);
  expect(received().get(`${email}:receipt`)).toBeUndefined();

  // Receipts on, billing down, the payment announced again (a new event): the receipt handler cannot ask billing for the amount.
  await settings(true);
  await cluster.kill('billing', 'SIGKILL');
  const eventId = await emitEvent(db.platform(), undefined, DOMAIN_CONSUMERS, 'payment.recorded', { tenantId: target.tenantId, paymentId, studentId });
  const delivery = `messaging.receipt|${eventId}`;
  expect(await until(async () => (await eventJobModel(db.platform()).findById(delivery).lean())?.status === 'dead', 20_000)).toBe(true);
  const job = (await eventJobModel(db.platform()).findById(delivery).lean())!;
  expect(job.attempts).toBe(3);
  expect(job.lastError).toBeTruthy();
  const dead = await cli('events', 'dead', '--tenant', target.slug, '--json');
  expect(JSON.parse(dead.out).map((r: { id: string }) => r.id)).toEqual([delivery]);
  expect(dead.out).not.toContain(email);
  expect(dead.out).not.toContain('Dead Letter');
  expect((await cli('events', 'status')).code).toBe(1);
  expect(received().get(`${email}:receipt`)).toBeUndefined();

  // Billing back, the operator replays: the receipt goes out, once.
  await cluster.startService('billing');
  const replay = await cli('events', 'replay', '--all', '--tenant', target.slug);
  expect(replay).toMatchObject({ code: 0 });
  expect(replay.out).toContain(delivery);
  expect(await until(() => received().get(`${email}:receipt`) === 1, 15_000)).toBe(true);
  expect(await until(async () => (await eventJobModel(db.platform()).findById(delivery).lean())?.status === 'done', 5000)).toBe(true);
  expect((await eventJobModel(db.platform()).findById(delivery).lean())!.attempts).toBe(4);
  await sleep(1000);
  expect(received().get(`${email}:receipt`)).toBe(1);
  expect((await cli('events', 'status')).code).toBe(0);
});
