import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import type { TestTenant } from './helpers/client';
import { migrate } from '../cli/migrate';
import { moneyAnalyticsBackfill } from '../migrations/008-money-analytics-backfill';
import { backfillMoneyFacts, moneyBackfillPending } from '../subgraphs/billing/analytics/money-backfill.service';

/**
 * Money analytics (#18 item 2): collections against dues, revenue by plan and method
 * (billing, from the dues ledger's facts) and messaging spend by channel (credits),
 * through the gateway on the real database. Closed months come from stored rollups.
 */
let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const istDay = () => new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
const thisMonth = () => istDay().slice(0, 7);
const suffix = Date.now().toString(36);

const COLLECTIONS = `query($f: String!, $t: String!, $l: ID, $b: Boolean) { collectionsReport(fromMonth: $f, toMonth: $t, libraryId: $l, byLibrary: $b) {
  month library { id } billed received refunded collected collectionRate outstanding payments refunds } }`;
const BREAKDOWN = `query($f: String!, $t: String!, $g: [MoneyGroupBy!]!, $l: ID) { revenueBreakdown(fromMonth: $f, toMonth: $t, groupBy: $g, libraryId: $l) {
  month library { id } planId planName method received refunded net payments refunds } }`;
const SPEND = `query($f: String!, $t: String!, $by: SpendPeriod, $c: Channel) { messagingSpend(fromMonth: $f, toMonth: $t, by: $by, channel: $c) {
  period channel messages failed sent creditsUsed creditsRefunded creditsSpent } }`;
const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`;

async function tenantWithPlans(slug: string) {
  const t = await sys.createTenant(`${slug}-${suffix}`, { plan: 'starter' });
  const o = { token: t.ownerToken };
  const library = async (name: string) =>
    (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 30 } }, o)).createLibrary.id as string;
  const student = async (libraryId: string) =>
    (await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name: 'Asha', phone: '9876543210', libraryId } }, o))
      .createStudent.id as string;
  const plan = async (libraryId: string, name: string, price: number) =>
    (
      await sys.ok(
        `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
        {
          i: { libraryId, name, duration: 'MONTHLY', price, seatKind: 'ANY' },
        },
        o,
      )
    ).createFeePlan.id as string;
  const assign = (studentId: string, planId: string) =>
    sys.ok(`mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`, { i: { studentId, planId, idempotencyKey: `as-${studentId}` } }, o);
  return { t, o, library, student, plan, assign };
}

describe('collections against dues and revenue by plan and method', () => {
  let t: TestTenant;
  let l1: string, l2: string, p1: string, p2: string;
  const month = thisMonth();

  beforeAll(async () => {
    const s = await tenantWithPlans('money-a');
    t = s.t;
    l1 = await s.library('North');
    l2 = await s.library('South');
    p1 = await s.plan(l1, 'Monthly North', 150_000);
    p2 = await s.plan(l2, 'Monthly South', 100_000);
    const s1 = await s.student(l1);
    const s2 = await s.student(l2);
    await s.assign(s1, p1);
    await s.assign(s2, p2);
    const paid = await sys.ok(PAY, { i: { studentId: s1, amount: 150_000, method: 'CASH', idempotencyKey: `k1-${suffix}` } }, s.o);
    // A retried payment (the same key, three times at once, then again): one payment.
    const retried = { i: { studentId: s2, amount: 60_000, method: 'UPI', idempotencyKey: `k2-${suffix}` } };
    await Promise.all([1, 2, 3].map(() => sys.ok(PAY, retried, s.o)));
    await sys.ok(PAY, retried, s.o);
    await sys.ok(
      `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
      {
        i: { paymentId: paid.recordPayment.id, amount: 50_000, reason: 'left early', idempotencyKey: `r1-${suffix}` },
      },
      s.o,
    );
  });

  it('totals per month: billed, received, refunded, collected, rate and outstanding, in exact paise', async () => {
    const rows = (await sys.ok(COLLECTIONS, { f: month, t: month }, { token: t.ownerToken })).collectionsReport;
    expect(rows).toEqual([
      {
        month,
        library: null,
        billed: 250_000,
        received: 210_000,
        refunded: 50_000,
        collected: 160_000,
        collectionRate: 0.64,
        outstanding: 90_000,
        payments: 2,
        refunds: 1,
      },
    ]);
    // Outstanding is what the dues ledger says the students owe now.
    const pending = (await sys.ok(`{ pendingDues(first: 10) { amountDue } }`, {}, { token: t.ownerToken })).pendingDues;
    expect(pending.reduce((n: number, d: { amountDue: number }) => n + d.amountDue, 0)).toBe(90_000);
  });

  it('per library, and one library only', async () => {
    const rows = (await sys.ok(COLLECTIONS, { f: month, t: month, b: true }, { token: t.ownerToken })).collectionsReport;
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          month,
          library: { id: l1 },
          billed: 150_000,
          received: 150_000,
          refunded: 50_000,
          collected: 100_000,
          collectionRate: 100_000 / 150_000,
          outstanding: 50_000,
          payments: 1,
          refunds: 1,
        },
        {
          month,
          library: { id: l2 },
          billed: 100_000,
          received: 60_000,
          refunded: 0,
          collected: 60_000,
          collectionRate: 0.6,
          outstanding: 40_000,
          payments: 1,
          refunds: 0,
        },
      ]),
    );
    const one = (await sys.ok(COLLECTIONS, { f: month, t: month, l: l2 }, { token: t.ownerToken })).collectionsReport;
    expect(one).toEqual([
      {
        month,
        library: null,
        billed: 100_000,
        received: 60_000,
        refunded: 0,
        collected: 60_000,
        collectionRate: 0.6,
        outstanding: 40_000,
        payments: 1,
        refunds: 0,
      },
    ]);
  });

  it('revenue by plan and method; the refund is attributed like its payment', async () => {
    const rows = (await sys.ok(BREAKDOWN, { f: month, t: month, g: ['MONTH', 'PLAN', 'METHOD'] }, { token: t.ownerToken })).revenueBreakdown;
    expect(rows).toHaveLength(2);
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          month,
          library: null,
          planId: p1,
          planName: 'Monthly North',
          method: 'CASH',
          received: 150_000,
          refunded: 50_000,
          net: 100_000,
          payments: 1,
          refunds: 1,
        },
        { month, library: null, planId: p2, planName: 'Monthly South', method: 'UPI', received: 60_000, refunded: 0, net: 60_000, payments: 1, refunds: 0 },
      ]),
    );
    const byMethod = (await sys.ok(BREAKDOWN, { f: month, t: month, g: ['METHOD'] }, { token: t.ownerToken })).revenueBreakdown;
    expect(byMethod.map((r: { method: string; net: number }) => [r.method, r.net])).toEqual([
      ['CASH', 100_000],
      ['UPI', 60_000],
    ]);
    const byLibrary = (await sys.ok(BREAKDOWN, { f: month, t: month, g: ['LIBRARY'], l: l1 }, { token: t.ownerToken })).revenueBreakdown;
    expect(byLibrary).toEqual([
      {
        month: null,
        library: { id: l1 },
        planId: null,
        planName: null,
        method: null,
        received: 150_000,
        refunded: 50_000,
        net: 100_000,
        payments: 1,
        refunds: 1,
      },
    ]);
  });

  it('refuses roles without revenue:read, other branches and bad ranges, and shows another tenant nothing', async () => {
    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(COLLECTIONS, { f: month, t: month }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(BREAKDOWN, { f: month, t: month, g: ['PLAN'] }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(COLLECTIONS, { f: month, t: month }, { token: await sys.userToken(t, 'staff') }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(COLLECTIONS, { f: '2026-05', t: '2026-04' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(COLLECTIONS, { f: '2020-01', t: '2026-01' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(COLLECTIONS, { f: month, t: month, l: 'nope' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(BREAKDOWN, { f: month, t: month, g: [] }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    const other = await sys.createTenant(`money-o-${suffix}`, { plan: 'starter' });
    expect((await sys.ok(COLLECTIONS, { f: month, t: month }, { token: other.ownerToken })).collectionsReport).toEqual([
      { month, library: null, billed: 0, received: 0, refunded: 0, collected: 0, collectionRate: null, outstanding: 0, payments: 0, refunds: 0 },
    ]);
    expect((await sys.ok(BREAKDOWN, { f: month, t: month, g: ['PLAN'] }, { token: other.ownerToken })).revenueBreakdown).toEqual([]);
    // Another tenant's library id shows nothing of it either.
    expect((await sys.ok(COLLECTIONS, { f: month, t: month, l: l1 }, { token: other.ownerToken })).collectionsReport[0].billed).toBe(0);
  });
});

describe('closed months come from stored rollups', () => {
  it('sums past months once, carries the outstanding amount, and keeps serving the stored sums', async () => {
    const { t } = await tenantWithPlans('money-b');
    const db = sys.db.tenant(sys.db.tenantDbName(t.slug));
    const lib = '0123456789abcdef01234567';
    // The facts billing records beside its dues entries (money_facts), for two past months.
    const fact = (n: number, day: string, row: Record<string, number | string>) => ({
      _id: `seeded:${n}`,
      day,
      libraryId: lib,
      billed: 0,
      received: 0,
      refunded: 0,
      dueDelta: 0,
      payments: 0,
      refunds: 0,
      ...row,
    });
    await db
      .collection('money_facts')
      .insertMany([
        fact(1, '2026-01-05', { billed: 100_000, dueDelta: 100_000 }),
        fact(2, '2026-01-20', { received: 70_000, dueDelta: -70_000, payments: 1, method: 'cash' }),
        fact(3, '2026-02-03', { billed: 100_000, dueDelta: 100_000 }),
        fact(4, '2026-02-10', { received: 130_000, dueDelta: -130_000, payments: 1, method: 'upi' }),
        fact(5, '2026-02-11', { refunded: 10_000, dueDelta: 10_000, refunds: 1, method: 'upi' }),
      ] as never[]);
    // What billing keeps beside its first fact: where running outstanding amounts start.
    await db.collection('money_rollup_checkpoints').insertOne({ _id: 'first', rows: ['2026-01'], builtAt: new Date() } as never);
    const q = () => sys.ok(COLLECTIONS, { f: '2026-02', t: '2026-02' }, { token: t.ownerToken });
    const feb = {
      month: '2026-02',
      library: null,
      billed: 100_000,
      received: 130_000,
      refunded: 10_000,
      collected: 120_000,
      collectionRate: 1.2,
      outstanding: 10_000,
      payments: 1,
      refunds: 1,
    };
    // Four requests build the same closed days and months at once: one set of sums is stored, all see it.
    const racing = await Promise.all([q(), q(), q(), q()]);
    expect(racing.map((r) => r.collectionsReport)).toEqual([[feb], [feb], [feb], [feb]]);
    expect(await db.collection('money_rollups').countDocuments({ _id: 'm:2026-02' } as never)).toBe(1);
    const stored = await db
      .collection('money_rollups')
      .find({ _id: { $in: ['m:2026-01', 'm:2026-02', 'd:2026-02-10'] } as never })
      .toArray();
    expect(stored.map((d) => d._id).sort()).toEqual(['d:2026-02-10', 'm:2026-01', 'm:2026-02']);
    // Closed days' facts are pruned once their sums are stored; the stored sums are served.
    expect(await db.collection('money_facts').countDocuments()).toBe(0);
    expect((await q()).collectionsReport).toEqual([feb]);
    const rev = (await sys.ok(BREAKDOWN, { f: '2026-01', t: '2026-02', g: ['MONTH', 'METHOD'] }, { token: t.ownerToken })).revenueBreakdown;
    expect(rev.map((r: { month: string; method: string; net: number }) => [r.month, r.method, r.net])).toEqual([
      ['2026-01', 'CASH', 70_000],
      ['2026-02', 'UPI', 120_000],
    ]);
  });
});

describe('messaging spend by channel', () => {
  const DEBIT = `mutation($i: DebitCreditsInput!) { debitCredits(input: $i) { balanceAfter } }`;

  it("per day and month from the credits ledger, for the caller's tenant only", async () => {
    const t = await sys.createTenant(`money-m-${suffix}`, { plan: 'starter' });
    const su = { token: sys.superToken };
    const vendor = await sys.ok(
      `mutation($i: CreateVendorInput!) { createVendor(input: $i) { id } }`,
      { i: { name: `Money ${suffix}`, channel: 'SMS', costPaisePerCredit: 1 } },
      su,
    );
    await sys.ok(
      `mutation($v: ID!, $k: String!) { purchaseCreditsFromVendor(vendorId: $v, credits: 100, idempotencyKey: $k) { id } }`,
      {
        v: vendor.createVendor.id,
        k: `money-stock-${suffix}`,
      },
      su,
    );
    const b = await sys.createTenant(`money-n-${suffix}`, { plan: 'starter' });
    await sys.ok(
      `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`,
      {
        i: { tenantId: t.id, channel: 'SMS', amount: 50, idempotencyKey: `alloc-${t.id}` },
      },
      { token: sys.superToken },
    );
    const internal = { token: t.ownerToken, url: sys.subgraphUrls.credits };
    for (let i = 0; i < 3; i++) await sys.ok(DEBIT, { i: { channel: 'SMS', reference: `spend-${t.id}-${i}`, amount: 2 } }, internal);
    await sys.ok(`mutation($r: String!) { refundCredits(reference: $r) }`, { r: `spend-${t.id}-0` }, internal);
    const day = istDay();
    const month = thisMonth();
    const today = { channel: 'SMS', messages: 3, failed: 1, sent: 2, creditsUsed: 6, creditsRefunded: 2, creditsSpent: 4 };
    const byDay = (await sys.ok(SPEND, { f: month, t: month }, { token: t.ownerToken })).messagingSpend;
    expect(byDay).toEqual([{ period: day, ...today }]);
    expect((await sys.ok(SPEND, { f: month, t: month, by: 'MONTH' }, { token: t.ownerToken })).messagingSpend).toEqual([{ period: month, ...today }]);
    expect((await sys.ok(SPEND, { f: month, t: month, c: 'EMAIL' }, { token: t.ownerToken })).messagingSpend).toEqual([]);
    expect((await sys.ok(SPEND, { f: month, t: month }, { token: b.ownerToken })).messagingSpend).toEqual([]);
    expect(code(await sys.gql(SPEND, { f: month, t: month }, { token: await sys.userToken(t, 'staff') }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(SPEND, { f: '2025-01', t: '2026-06' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');

    // A closed past month: summed once into credit_usage_rollups, then served from there.
    const db = sys.db.tenant(sys.db.tenantDbName(b.slug));
    // The facts credits records beside its applied debits and refunds (credit_usage_facts).
    const entry = (n: number, reason: string, delta: number, day: string) => ({ _id: `whatsapp:${n}`, day, channel: 'whatsapp', reason, delta });
    await db
      .collection('credit_usage_facts')
      .insertMany([entry(1, 'message', -3, '2026-03-02'), entry(2, 'message', -3, '2026-03-02'), entry(3, 'refund', 3, '2026-03-04')] as never[]);
    const march = { period: '2026-03', channel: 'WHATSAPP', messages: 2, failed: 1, sent: 1, creditsUsed: 6, creditsRefunded: 3, creditsSpent: 3 };
    expect((await sys.ok(SPEND, { f: '2026-03', t: '2026-03', by: 'MONTH' }, { token: b.ownerToken })).messagingSpend).toEqual([march]);
    const days = (await sys.ok(SPEND, { f: '2026-03', t: '2026-03' }, { token: b.ownerToken })).messagingSpend;
    expect(days.map((r: { period: string; messages: number; failed: number }) => [r.period, r.messages, r.failed])).toEqual([
      ['2026-03-02', 2, 0],
      ['2026-03-04', 0, 1],
    ]);
    expect(await db.collection('credit_usage_rollups').countDocuments({ _id: 'm:2026-03' } as never)).toBe(1);
    expect(await db.collection('credit_usage_facts').countDocuments()).toBe(0);
  });
});

describe('migration 008: money facts for a ledger written before the analytics', () => {
  it('stamps the old entries with the day they happened, restates their months, and equals what live facts gave; once', async () => {
    const s = await tenantWithPlans('money-hist');
    const o = s.o;
    const lib = await s.library('Old Hall');
    const p = await s.plan(lib, 'Monthly Old', 150_000);
    const [a, b] = [await s.student(lib), await s.student(lib)];
    await s.assign(a, p);
    await s.assign(b, p);
    await sys.ok(PAY, { i: { studentId: a, amount: 100_000, method: 'CASH', idempotencyKey: `h1-${suffix}` } }, o);
    await sys.ok(PAY, { i: { studentId: a, amount: 20_000, method: 'UPI', idempotencyKey: `h2-${suffix}` } }, o);
    const big = await sys.ok(PAY, { i: { studentId: b, amount: 150_000, method: 'UPI', idempotencyKey: `h3-${suffix}` } }, o);
    await sys.ok(
      `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
      { i: { paymentId: big.recordPayment.id, amount: 30_000, reason: 'overpaid', idempotencyKey: `hr-${suffix}` } },
      o,
    );
    const month = thisMonth();
    const report = async (m: string) => (await sys.ok(COLLECTIONS, { f: m, t: m }, o)).collectionsReport[0];
    const byPlanMethod = async (m: string) =>
      ((await sys.ok(BREAKDOWN, { f: m, t: m, g: ['PLAN', 'METHOD'] }, o)).revenueBreakdown as Record<string, unknown>[])
        .map(({ month: _m, ...r }) => r)
        .sort((x, y) => String(x.method).localeCompare(String(y.method)));
    const live = { totals: await report(month), groups: await byPlanMethod(month) };
    expect(live.totals).toMatchObject({ billed: 300_000, received: 270_000, refunded: 30_000, outstanding: 60_000, payments: 3, refunds: 1 });

    // The same ledger as a tenant from before the analytics has it: no facts on any entry, no plan in
    // the states, no sums; and it all happened two months ago, when the memberships started.
    const conn = sys.db.tenant(sys.db.tenantDbName(s.t.slug));
    const then = new Date(`${monthsAgo(2)}-10T06:30:00Z`);
    const entries = await conn.collection('dues_entries').find({}).toArray();
    for (const e of entries) {
      await conn.collection('dues_entries').updateOne(
        { _id: e._id },
        {
          $unset: { day: '', month: '', libraryId: '', billed: '', dueDelta: '', method: '', planId: '', 'state.planId': '' },
          $set: { at: new Date(then.getTime() + e.seq * 60_000) },
        },
      );
    }
    await conn.collection('memberships').updateMany({}, { $set: { startDate: `${monthsAgo(2)}-01` } });
    for (const c of ['money_facts', 'money_rollups', 'money_rollup_checkpoints']) await conn.collection(c).deleteMany({});
    const old = monthsAgo(2);
    // A report before the migration stores that closed month's (empty) sums: the migration must restate them.
    expect(await report(old)).toMatchObject({ billed: 0, received: 0 });
    expect(await moneyBackfillPending(conn)).toBe(entries.length);

    const run = await migrate(sys.db, { migrations: [moneyAnalyticsBackfill], slug: s.t.slug });
    expect(run.results[0]!.applied).toEqual([{ id: '008-money-analytics-backfill', changed: entries.length }]);
    expect(await report(old)).toEqual({ ...live.totals, month: old });
    expect(await byPlanMethod(old)).toEqual(live.groups);
    // Nothing of it in the month the entries were first written; outstanding runs on from the old month.
    expect(await report(month)).toMatchObject({ billed: 0, received: 0, refunded: 0, payments: 0, outstanding: 60_000 });

    // Again: nothing left to stamp, and the sums are recomputed, never added twice.
    expect(await backfillMoneyFacts(conn)).toBe(0);
    const stamp = await conn.collection('dues_entries').findOne({ op: 'PAYMENT', method: 'cash' });
    await conn
      .collection('dues_entries')
      .updateOne({ _id: stamp!._id }, { $unset: { day: '', month: '', libraryId: '', billed: '', dueDelta: '', method: '', planId: '' } });
    expect(await backfillMoneyFacts(conn)).toBe(1);
    expect(await report(old)).toEqual({ ...live.totals, month: old });

    // A run that died after stamping, before restating: every entry has facts, the sums do not.
    await conn.collection('money_rollups').updateOne({ _id: `m:${old}` as never }, { $set: { rows: [] } });
    await conn.collection('money_rollup_checkpoints').deleteMany({ _id: { $ne: 'first' } } as never);
    await conn.collection('money_rollup_checkpoints').insertOne({ _id: 'backfill' as never, rows: ['stamping'], builtAt: new Date() });
    expect(await report(old)).toMatchObject({ billed: 0, received: 0 });
    expect(await moneyBackfillPending(conn)).toBe(1);
    expect(await backfillMoneyFacts(conn)).toBe(0); // nothing left to stamp, but restated
    expect(await report(old)).toEqual({ ...live.totals, month: old });
    expect(await moneyBackfillPending(conn)).toBe(0);

    // An entry of today without its fact (written during the deploy): the fact comes back, summed live.
    const today = await sys.ok(PAY, { i: { studentId: a, amount: 5_000, method: 'CARD', idempotencyKey: `h4-${suffix}` } }, o);
    const fresh = await conn.collection('dues_entries').findOne({ paymentId: today.recordPayment.id });
    await conn
      .collection('dues_entries')
      .updateOne({ _id: fresh!._id }, { $unset: { day: '', month: '', libraryId: '', billed: '', dueDelta: '', method: '', planId: '' } });
    await conn.collection('money_facts').deleteMany({ _id: fresh!.key });
    expect(await report(month)).toMatchObject({ received: 0, payments: 0 });
    expect(await backfillMoneyFacts(conn)).toBe(1);
    expect(await report(month)).toMatchObject({ received: 5_000, payments: 1, outstanding: 55_000 });
  });
});

/** 'YYYY-MM' of `n` months before this one (IST). */
function monthsAgo(n: number): string {
  const [y, m] = thisMonth().split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}
