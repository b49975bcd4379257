import { FEE_CYCLE_RETRY_MS, FEE_CYCLE_SPREAD_MS, nextFeeCycleDay } from '../subgraphs/billing/memberships/fee-cycle-due.service';
import { startSystem, type System, type TestTenant } from './helpers/system';
import { until } from './helpers/until';

/**
 * The fee-cycle job as it runs in production (every 100 ms here), on billing's clock, which
 * the tests move: it visits a tenant soon after a membership change and then once a day after
 * midnight in India (issue 19: an hourly pass over every tenant was 24 visits a day each).
 */
let sys: System;
let clock = new Date('2030-03-10T06:00:00Z'); // 2030-03-10, 11:30 in India
beforeAll(async () => {
  sys = await startSystem({}, { billing: { now: () => clock, feeCycleIntervalMs: 100 } });
});
afterAll(() => sys?.stop());

const marksOf = async (t: TestTenant) =>
  (
    await sys.db
      .platform()
      .collection<{ _id: string; at: Date }>('fee_cycle_due')
      .find({ _id: { $regex: `^${t.id}:` } } as never)
      .toArray()
  ).map((m) => m.at.toISOString());

async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const o = { token: t.ownerToken };
  const libraryId = (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name: `${slug} Hall`, capacity: 30 } }, o))
    .createLibrary.id;
  const studentId = (
    await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name: 'Asha', phone: '9876543210', libraryId } }, o)
  ).createStudent.id as string;
  const planId = (
    await sys.ok(
      `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
      { i: { libraryId, name: 'Monthly', duration: 'MONTHLY', price: 150_000, seatKind: 'RESERVED', lateFee: 10_000, graceDays: 3 } },
      o,
    )
  ).createFeePlan.id as string;
  return { t, o, libraryId, studentId, planId };
}

const assign = async (c: { o: { token: string } }, studentId: string, planId: string, startDate: string, idempotencyKey: string) =>
  (await sys.ok(`mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`, { i: { studentId, planId, startDate, idempotencyKey } }, c.o))
    .assignFeePlan.id as string;
const membership = (t: TestTenant, id: string) =>
  sys.ok(`query($id: ID!) { membership(id: $id) { status period endDate } }`, { id }, { token: t.ownerToken }).then((d) => d.membership);
/** The tenant's marks once they are exactly `at` (one mark): the job's pass has settled. */
const markedAt = (t: TestTenant, at: string, what: string) =>
  until(
    () => marksOf(t),
    (m) => m.length === 1 && m[0] === at,
    what,
  );
/** The membership once the job has brought it to `period`. */
const reaching = (t: TestTenant, id: string, period: number, what: string) =>
  until(
    () => membership(t, id),
    (m) => m.period === period,
    what,
  );
const lateFees = async (t: TestTenant, studentId: string) =>
  (
    await sys.ok(`query($id: ID!) { student(id: $id) { dues { charges { kind dueDate } } } }`, { id: studentId }, { token: t.ownerToken })
  ).student.dues.charges.filter((c: { kind: string }) => c.kind === 'LATE_FEE').length;

describe('the fee-cycle job', () => {
  let a: Awaited<ReturnType<typeof setup>>;
  let membershipId: string;

  it('runs for a tenant soon after a membership change: a backdated membership is renewed and its late fees added, then the tenant waits for its midnight', async () => {
    a = await setup('cycle-job-a');
    const idle = await setup('cycle-job-idle');
    // Started on 1 January: January and February have ended, and three charges are past their grace.
    membershipId = await assign(a, a.studentId, a.planId, '2030-01-01', 'job-assign-a');
    expect(await reaching(a.t, membershipId, 3, 'the job renews the backdated membership')).toEqual({
      status: 'ACTIVE',
      period: 3,
      endDate: '2030-03-31',
    });
    expect(
      await until(
        () => lateFees(a.t, a.studentId),
        (n) => n === 3,
        'late fees on the three charges past grace',
      ),
    ).toBe(3);
    // Settled: the change's mark is gone, and the next pass is after midnight in India, within the spread.
    const next = nextFeeCycleDay(a.t.id, clock);
    expect(await markedAt(a.t, next.toISOString(), 'one mark, for the next day')).toEqual([next.toISOString()]);
    const midnight = Date.parse('2030-03-10T18:30:00Z');
    expect(next.getTime()).toBeGreaterThanOrEqual(midnight);
    expect(next.getTime()).toBeLessThan(midnight + FEE_CYCLE_SPREAD_MS);
    // A tenant without fees is never marked: the job does not visit it.
    expect(await marksOf(idle.t)).toEqual([]);
    // Moments later, nothing was done twice.
    await new Promise((r) => setTimeout(r, 500));
    expect(await lateFees(a.t, a.studentId)).toBe(3);
    expect((await membership(a.t, membershipId)).period).toBe(3);
  });

  it('with no write at all, the day after the period ends brings the renewal, and the next mark is the day after', async () => {
    // 2 April, 01:30 in India: March has ended.
    clock = new Date('2030-04-01T20:00:00Z');
    expect(await reaching(a.t, membershipId, 4, 'the daily pass renews April')).toEqual({
      status: 'ACTIVE',
      period: 4,
      endDate: '2030-04-30',
    });
    const next = nextFeeCycleDay(a.t.id, clock).toISOString();
    expect(next.slice(0, 10)).toBe('2030-04-02');
    expect(await markedAt(a.t, next, 'the next day marked')).toEqual([next]);
    // The April charge is not past its grace yet: still three late fees.
    expect(await lateFees(a.t, a.studentId)).toBe(3);
  });

  it('catches up more periods than one pass renews in passes minutes apart, not a day apart', async () => {
    const c = await setup('cycle-job-catchup');
    const daily = (
      await sys.ok(
        `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
        { i: { libraryId: c.libraryId, name: 'Day pass', duration: 'DAYS', durationDays: 1, price: 0, seatKind: 'ANY' } },
        c.o,
      )
    ).createFeePlan.id;
    // One-day periods from 3 March: thirty have ended by 2 April, one pass renews 24.
    const id = await assign(c, c.studentId, daily, '2030-03-03', 'job-assign-catchup');
    expect(await reaching(c.t, id, 25, 'the first pass renews 24 periods')).toMatchObject({ endDate: '2030-03-27' });
    const retry = new Date(clock.getTime() + FEE_CYCLE_RETRY_MS).toISOString();
    expect(await markedAt(c.t, retry, 'marked again minutes on')).toEqual([retry]);
    clock = new Date(clock.getTime() + FEE_CYCLE_RETRY_MS);
    expect(await reaching(c.t, id, 31, 'the rest renewed')).toEqual({ status: 'ACTIVE', period: 31, endDate: '2030-04-02' });
    const next = nextFeeCycleDay(c.t.id, clock).toISOString();
    expect(await markedAt(c.t, next, 'then the next day')).toEqual([next]);
  });
});
