import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { useDueMarks } from '../core/jobs/due-marks';
import { useDueTenantJob } from '../core/jobs/due-tenant-job';
import type { TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

/**
 * Issue 19: background jobs visit the tenants marked as having work due, not every tenant
 * (core/jobs/due-marks.ts, core/jobs/due-tenant-job.ts). Real platform database, real tenants.
 */
let sys: SharedSystem;
const tenants: TestTenant[] = [];
const collection = `test_due_${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sys = await sharedSystem();
  for (const name of ['a', 'b', 'c']) tenants.push(await sys.createTenant(`due-${name}-${randomBytes(2).toString('hex')}`));
});
afterAll(async () => {
  await sys.db
    .platform()
    .collection(collection)
    .drop()
    .catch(() => undefined);
  await sys.stop();
});

const marks = () => useDueMarks({ platform: () => sys.db.platform(), collection });

it('marks are due by their time; settling drops the marks read and marks the next time the tenant data gives', async () => {
  const m = marks();
  const now = new Date();
  await m.mark('t1', new Date(now.getTime() - 1000));
  await m.mark('t1', new Date(now.getTime() - 1000)); // twice for one moment: one mark
  await m.mark('t2', new Date(now.getTime() + 60_000)); // not yet due
  const due = await m.due(now);
  expect([...due.keys()]).toEqual(['t1']);
  expect(due.get('t1')).toHaveLength(1);
  // A writer marks t1 again after the job read its marks: that mark survives the settle.
  await m.mark('t1', new Date(now.getTime() - 500));
  await m.settle('t1', due.get('t1')!, async () => new Date(now.getTime() + 30_000));
  const after = await m.due(now);
  expect(after.get('t1')).toHaveLength(1);
  expect([...(await m.due(new Date(now.getTime() + 30_000))).keys()].sort()).toEqual(['t1']);
  expect((await m.due(new Date(now.getTime() + 30_000))).get('t1')).toHaveLength(2);
  await m.settle('t1', [...after.get('t1')!, ...(await m.due(new Date(now.getTime() + 30_000))).get('t1')!], async () => null);
  expect((await m.due(new Date(now.getTime() + 120_000))).has('t1')).toBe(false);
  await m.settle('t2', (await m.due(new Date(now.getTime() + 120_000))).get('t2')!, async () => null);
});

it('the job visits only marked tenants, again when their data says more is due, and drops the marks of a suspended one', async () => {
  const m = marks();
  const visits: string[] = [];
  const again = new Map<string, Date | null>();
  const [a, b, c] = tenants;
  const log = pino({ level: 'silent' });
  const stop = useDueTenantJob({
    name: 'test due job',
    deps: { db: sys.db, log },
    marks: m,
    intervalMs: 50,
    pass: async (t) => void visits.push(t._id.toHexString()),
    next: async (_conn, t) => {
      const at = again.get(t._id.toHexString()) ?? null;
      again.set(t._id.toHexString(), null); // once
      return at;
    },
    sweepEveryMs: Number.MAX_SAFE_INTEGER, // no sweep in this test: only marks
  });
  try {
    again.set(a.id, new Date(Date.now() + 300));
    await m.mark(a.id, new Date());
    await sleep(1200);
    // a: its mark, then the time its own data gave; b and c: never (no mark).
    expect(visits.filter((v) => v === a.id)).toHaveLength(2);
    expect(visits.filter((v) => v !== a.id)).toEqual([]);

    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: c.id }, { token: sys.superToken });
    await m.mark(c.id, new Date());
    await m.mark(b.id, new Date());
    await sleep(600);
    expect(visits.filter((v) => v === b.id)).toHaveLength(1);
    expect(visits.filter((v) => v === c.id)).toEqual([]);
    expect((await m.due(new Date(Date.now() + 3600_000))).size).toBe(0);
  } finally {
    await stop();
  }
});
