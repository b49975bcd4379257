import { markMoneyMonth } from '../subgraphs/billing/analytics/money-rollup.service';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * A payment's fee plan (revenue by plan) comes from the dues ledger's running state, which
 * each membership charge stamps with its plan: recording a payment reads no membership.
 * A ledger written before the state carried the plan looks it up once, then carries it.
 * And the money facts' first-month marker is remembered per tenant database view.
 * Own system: the assertions count the subgraphs' database commands (in-process pool).
 */
let sys: System;
let t: TestTenant;
let o: { token: string };
let library: string;
const suffix = Date.now().toString(36);
const month = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 7);

const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`;
const BY_PLAN = `query($m: String!) { revenueBreakdown(fromMonth: $m, toMonth: $m, groupBy: [PLAN]) { planId received payments } }`;

beforeAll(async () => {
  sys = await startSystem();
  t = await sys.createTenant(`duesplan-${suffix}`, { plan: 'starter' });
  o = { token: t.ownerToken };
  library = (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name: 'North', capacity: 30 } }, o)).createLibrary.id;
});
afterAll(() => sys?.stop());

const student = async () =>
  (await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name: 'Asha', phone: '9876543210', libraryId: library } }, o))
    .createStudent.id as string;
const plan = async (name: string, price: number) =>
  (
    await sys.ok(
      `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
      { i: { libraryId: library, name, duration: 'MONTHLY', price, seatKind: 'ANY' } },
      o,
    )
  ).createFeePlan.id as string;
const assign = async (studentId: string, planId: string) =>
  (await sys.ok(`mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`, { i: { studentId, planId, idempotencyKey: `as-${studentId}` } }, o))
    .assignFeePlan.id as string;

/** Records a payment and counts the reads of `memberships` in the tenant's database meanwhile. */
async function pay(studentId: string, amount: number, key: string): Promise<number> {
  const dbName = sys.db.tenantDbName(t.slug);
  let reads = 0;
  const off = sys.db.onCommand((e) => {
    if (e.databaseName === dbName && ['find', 'aggregate', 'count'].includes(e.commandName) && e.command[e.commandName] === 'memberships') reads++;
  });
  try {
    await sys.ok(PAY, { i: { studentId, amount, method: 'CASH', idempotencyKey: `${key}-${suffix}` } }, o);
  } finally {
    off();
  }
  return reads;
}

const byPlan = async () =>
  Object.fromEntries(
    ((await sys.ok(BY_PLAN, { m: month }, o)).revenueBreakdown as { planId: string | null; received: number; payments: number }[]).map((r) => [
      r.planId ?? 'none',
      [r.received, r.payments],
    ]),
  );

describe("a payment's plan from the dues ledger's state", () => {
  it('attributes payments to the membership plan, after a plan change to the new plan, reading no membership', async () => {
    const [p1, p2] = [await plan('Monthly A', 150_000), await plan('Monthly B', 90_000)];
    const s = await student();
    const m = await assign(s, p1);
    expect(await pay(s, 100_000, 'a1')).toBe(0);
    expect(await pay(s, 20_000, 'a2')).toBe(0);
    await sys.ok(
      `mutation($m: ID!, $p: ID!, $k: String!) { changeMembershipPlan(membershipId: $m, planId: $p, idempotencyKey: $k) { planId } }`,
      { m, p: p2, k: `cp-${suffix}` },
      o,
    );
    expect(await pay(s, 30_000, 'a3')).toBe(0);
    const rows = await byPlan();
    expect(rows[p1]).toEqual([120_000, 2]);
    expect(rows[p2]).toEqual([30_000, 1]);
  });

  it('a plan that charges nothing (free) still becomes the ledger plan: payments after it count under it, once', async () => {
    const [paid, free] = [await plan('Monthly E', 60_000), await plan('Free trial', 0)];
    const s = await student();
    const m = await assign(s, paid);
    expect(await pay(s, 60_000, 'e1')).toBe(0);
    // A downgrade to the free plan charges nothing: a PLAN entry (amount 0) moves the ledger's plan.
    const change = `mutation($m: ID!, $p: ID!, $k: String!) { changeMembershipPlan(membershipId: $m, planId: $p, idempotencyKey: $k) { planId } }`;
    await sys.ok(change, { m, p: free, k: `cp-free-${suffix}` }, o);
    await sys.ok(change, { m, p: free, k: `cp-free-${suffix}` }, o); // a retry adds no second entry
    expect(await pay(s, 5_000, 'e2')).toBe(0);
    const entries = sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('dues_entries');
    expect(await entries.countDocuments({ chain: s, op: 'PLAN' })).toBe(1);
    // A new student straight onto the free plan: an advance payment counts under it, not under no plan.
    const newcomer = await student();
    await assign(newcomer, free);
    expect(await pay(newcomer, 7_000, 'e3')).toBe(0);
    const rows = await byPlan();
    expect(rows[paid]).toEqual([60_000, 1]);
    expect(rows[free]).toEqual([12_000, 2]);
    // The dues the free plan left are none: the PLAN entries changed no amount.
    const due = await sys.ok(`query($s: ID!) { student(id: $s) { dues { amountDue advanceCredit } } }`, { s: newcomer }, o);
    expect(due.student.dues).toEqual({ amountDue: 0, advanceCredit: 7_000 });
  });

  it('a ledger without the plan in its state (written before) looks the membership up once, then carries the plan', async () => {
    const p3 = await plan('Monthly C', 70_000);
    const s = await student();
    await assign(s, p3);
    // What a ledger written before this change looks like: no plan in any entry's state.
    const entries = sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('dues_entries');
    const unset = await entries.updateMany({ chain: s }, { $unset: { 'state.planId': '' } });
    expect(unset.modifiedCount).toBeGreaterThan(0);
    expect(await pay(s, 10_000, 'c1')).toBe(1);
    expect(await pay(s, 15_000, 'c2')).toBe(0);
    expect((await byPlan())[p3]).toEqual([25_000, 2]);
    // A student never charged for a membership: one look-up finds none, the state records that.
    const walkIn = await student();
    expect(await pay(walkIn, 5_000, 'w1')).toBe(1);
    expect(await pay(walkIn, 5_000, 'w2')).toBe(0);
    expect((await byPlan()).none).toEqual([10_000, 2]);
  });
});

describe("the money facts' first-month marker", () => {
  /** Reads of the marker's collection in the tenant database while `work` runs. */
  async function markerReads(work: () => Promise<unknown>): Promise<number> {
    let reads = 0;
    const off = sys.db.onCommand((e) => {
      if (e.databaseName === sys.db.tenantDbName(t.slug) && e.command[e.commandName] === 'money_rollup_checkpoints') reads++;
    });
    try {
      await work();
    } finally {
      off();
    }
    return reads;
  }

  it('is read once per tenant database view: not again on the same view, once on a fresh one (as after an eviction)', async () => {
    const p = await plan('Monthly D', 50_000);
    const s = await student();
    await assign(s, p);
    expect(await markerReads(() => pay(s, 1_000, 'm1'))).toBe(0);
    const month = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 7);
    expect(await markerReads(() => markMoneyMonth(sys.db.tenant(sys.db.tenantDbName(t.slug)), month))).toBe(0);
    // The state lives with the view, not the database name: the view an evicted one is replaced by starts afresh.
    const fresh = sys.db.cluster('default').useDb(sys.db.tenantDbName(t.slug));
    expect(await markerReads(() => markMoneyMonth(fresh, month))).toBe(1);
    expect(await markerReads(() => markMoneyMonth(fresh, month))).toBe(0);
  });
});
