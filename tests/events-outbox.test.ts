import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { run } from '../cli/program';
import type { Io } from '../cli/io';
import { listDead, outboxStatus } from '../core/events/admin';
import { backoffDelay, emitEvent, useConsumer, type Delivery, type RunningConsumer } from '../core/events/outbox';
import { CONSUMER_NAMES, DOMAIN_CONSUMERS } from '../subgraphs/events';
import { eventClaimModel, eventJobModel, outboxSchemas } from '../core/events/outbox.model';
import { createLogger } from '../core/logger';
import { InProcessPubSub } from '../core/pubsub';
import { DbManager } from '../core/tenancy/db';
import { provisionDatabase } from '../core/tenancy/provision';

/**
 * The outbox engine against the real database: durable emit, one delivery per
 * consumer, claims across instances, lease takeover, backoff, dead letter, and
 * the operator CLI's views and replay.
 */
const prefix = `t${randomBytes(4).toString('hex')}_`;
let db: DbManager;
const pubsub = new InProcessPubSub();
const log = createLogger('outbox-test', process.env.OUTBOX_LOG ?? 'silent');
const running: RunningConsumer[] = [];
const deps = () => ({ platform: () => db.platform(), pubsub, log });
const fast = { pollMs: 100, leaseMs: 1500, maxAttempts: 3, backoffMs: 20, backoffMaxMs: 50 };
const tenantId = () => new Types.ObjectId().toHexString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(probe: () => Promise<boolean>, ms = 8000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await probe()) return;
    await sleep(50);
  }
  throw new Error('condition not reached');
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
  db = await DbManager.connect(process.env.MONGODB_URI!, prefix);
  await provisionDatabase(db.platform(), outboxSchemas);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await db.platform().dropDatabase();
  await db.close();
  await pubsub.close();
});

it('backoff doubles per attempt with ±50 % jitter, capped', () => {
  const o = { backoffMs: 1000, backoffMaxMs: 10_000 };
  expect(backoffDelay(1, o, () => 0.5)).toBe(1000);
  expect(backoffDelay(3, o, () => 0.5)).toBe(4000);
  expect(backoffDelay(3, o, () => 0)).toBe(2000);
  expect(backoffDelay(3, o, () => 0.999)).toBeLessThanOrEqual(6000);
  expect(backoffDelay(20, o, () => 0.999)).toBe(10_000);
});

it('emit writes one delivery per consumer; the same key again adds nothing', async () => {
  const t = tenantId();
  const studentId = new Types.ObjectId().toHexString();
  const ids = await Promise.all(
    [1, 2, 3].map(() => emitEvent(db.platform(), undefined, DOMAIN_CONSUMERS, 'student.created', { tenantId: t, studentId }, studentId)),
  );
  expect(new Set(ids)).toEqual(new Set([`student.created:${studentId}`]));
  const jobs = await eventJobModel(db.platform()).find({ eventId: ids[0] }).lean();
  expect(jobs.map((j) => j.consumer).sort()).toEqual(['messaging.notifications', 'messaging.webhooks', 'messaging.welcome']);
  expect(jobs.every((j) => j.status === 'pending' && j.attempts === 0 && j.tenantId === t)).toBe(true);
});

it('two instances of a consumer: every event handled once, none lost', async () => {
  const seen: string[] = [];
  const handler = async (d: Delivery) => {
    await sleep(5);
    seen.push(d.eventId);
  };
  running.push(useConsumer(deps(), 'tenant.plan', handler, fast), useConsumer(deps(), 'tenant.plan', handler, fast));
  const limits = { maxLibraries: 1, maxStudents: 1, maxStaff: 1 };
  const ids = await Promise.all(
    Array.from({ length: 30 }, () => emitEvent(db.platform(), pubsub, DOMAIN_CONSUMERS, 'plan.changed', { tenantId: tenantId(), plan: 'free', limits })),
  );
  await until(async () => (await eventJobModel(db.platform()).countDocuments({ consumer: 'tenant.plan', status: 'done' })) === 30);
  await sleep(300);
  expect(seen.sort()).toEqual(ids.sort());
});

it('a claim held by a dead process is taken over after its lease; a failing handler retries with backoff, then dead-letters; CLI lists, shows and replays it once', async () => {
  const t = tenantId();
  // A crashed holder: attempt 1 claimed, lease already over, job never moved on.
  const eventId = await emitEvent(db.platform(), undefined, DOMAIN_CONSUMERS, 'saas.suspend', { tenantId: t, invoiceId: 'inv-1' }, 'inv-1');
  const jobId = `tenant.status|${eventId}`;
  await eventClaimModel(db.platform()).create({ _id: `${jobId}#1`, owner: 'dead-process', leaseUntil: new Date(Date.now() - 1) });

  let fail = true;
  const calls: number[] = [];
  running.push(
    useConsumer(
      deps(),
      'tenant.status',
      async (d) => {
        calls.push(d.attempt);
        if (fail) throw new Error(`handler refused ${d.event.invoiceId}`);
      },
      fast,
    ),
  );
  await until(async () => (await eventJobModel(db.platform()).findById(jobId).lean())?.status === 'dead');
  expect(calls).toEqual([2, 3]); // attempt 1 died with its process; 3 attempts in all
  const job = (await eventJobModel(db.platform()).findById(jobId).lean())!;
  expect(job).toMatchObject({ attempts: 3, lastError: 'handler refused inv-1' });
  expect((await outboxStatus(db.platform(), CONSUMER_NAMES)).find((s) => s.consumer === 'tenant.status')).toMatchObject({ dead: 1, pending: 0, retrying: 0 });

  const dead = await cli('events', 'dead', '--json');
  expect(dead.code).toBe(0);
  expect(JSON.parse(dead.out).map((r: { id: string }) => r.id)).toContain(jobId);
  const shown = await cli('events', 'show', eventId);
  expect(shown.out).toContain('saas.suspend');
  expect(shown.out).toContain('"invoiceId":"inv-1"');
  expect((await cli('events', 'status')).code).toBe(1); // something is dead

  fail = false;
  const replay = await cli('events', 'replay', jobId);
  expect(replay).toMatchObject({ code: 0 });
  expect(replay.out).toContain('Replayed 1 delivery');
  await until(async () => (await eventJobModel(db.platform()).findById(jobId).lean())?.status === 'done');
  await sleep(300);
  expect(calls).toEqual([2, 3, 4]);
  expect(await listDead(db.platform(), { tenantId: t })).toEqual([]);
  // Nothing left to replay: a clear refusal.
  expect((await cli('events', 'replay', jobId)).code).toBe(1);
  expect((await cli('events', 'replay')).code).toBe(2);
});

it('events show masks bearer secrets in a payload (the dunning pay link)', async () => {
  const payUrl = 'https://pay.example.test/pay/secret-token-123';
  const id = await emitEvent(
    db.platform(),
    undefined,
    DOMAIN_CONSUMERS,
    'saas.dunning',
    {
      tenantId: tenantId(),
      invoiceId: 'inv-9',
      number: 'SS/26-27/0009',
      step: 'ISSUED',
      dueAt: '2032-06-01T00:00:00.000Z',
      graceEndsAt: '2032-06-08T00:00:00.000Z',
      amountDue: 99_900,
      payUrl,
    },
    'inv-9:ISSUED',
  );
  const shown = await cli('events', 'show', id, '--json');
  expect(shown.code).toBe(0);
  expect(JSON.parse(shown.out).payload).toMatchObject({ invoiceId: 'inv-9', amountDue: 99_900, payUrl: '[masked]' });
  expect(shown.out).not.toContain('secret-token');
  expect((await cli('events', 'show', 'saas.dunning:nope')).code).toBe(1);
});
