import jwt from 'jsonwebtoken';
import { signAccessToken, type AccessClaims } from '../core/auth/tokens';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Fee plans, memberships and the dues ledger (#13 item 1), through the gateway
 * on the real database. Billing's clock is moved by the tests (`now`).
 */
let sys: System;
const now = new Date('2026-12-06T06:00:00Z'); // 2026-12-06 in India
beforeAll(async () => {
  sys = await startSystem({}, { billing: { now: () => now } });
});
afterAll(() => sys?.stop());

const PLAN_FIELDS = 'id libraryId name description duration durationDays price seatKind shiftId securityDeposit gstApplicable lateFee graceDays retired';
const CREATE_PLAN = `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { ${PLAN_FIELDS} } }`;
const M_FIELDS =
  'id studentId libraryId planId shiftId seatKind status startDate endDate period periodStart autoRenew frozenUntil terms { price planName } plan { id name }';
const ASSIGN = `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { ${M_FIELDS} } }`;
const DUES = `query($id: ID!) { student(id: $id) { id dues { amountDue advanceCredit depositHeld depositDue overdueSince nextDueDate
  membership { id status } charges { id kind amount outstanding dueDate description } } } }`;
const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id amount } }`;
const RENEW = `mutation($m: ID!, $k: String) { renewMembership(membershipId: $m, idempotencyKey: $k) { ${M_FIELDS} } }`;

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

async function setup(slug: string) {
  const t = await sys.createTenant(slug, { plan: 'starter' });
  const o = { token: t.ownerToken };
  const libraryId = (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name: `${slug} Hall`, capacity: 30 } }, o))
    .createLibrary.id;
  const student = async (name: string) =>
    (await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i: { name, phone: '9876543210', libraryId } }, o)).createStudent
      .id as string;
  const plan = async (extra: Record<string, unknown> = {}) =>
    (await sys.ok(CREATE_PLAN, { i: { libraryId, name: 'Monthly', duration: 'MONTHLY', price: 150_000, seatKind: 'RESERVED', ...extra } }, o)).createFeePlan;
  return { t, o, libraryId, student, plan };
}

const dues = async (t: TestTenant, id: string) => (await sys.ok(DUES, { id }, { token: t.ownerToken })).student.dues;
const assign = (t: TestTenant, i: Record<string, unknown>) => sys.gql(ASSIGN, { i }, { token: t.ownerToken });

/** The invariant straight from the ledger: dues charges − allocations to them = amountDue; deposits apart. */
async function reconcile(t: TestTenant, studentId: string) {
  const entries = await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('dues_entries').find({ chain: studentId }).sort({ seq: 1 }).toArray();
  const kinds = new Map<string, string>();
  let charged = 0;
  let allocatedToDues = 0;
  const perCharge = new Map<string, number>();
  for (const e of entries) {
    if (e.charge) kinds.set(e.charge.id, e.charge.kind);
    if (e.charge && e.charge.amount > 0 && e.charge.kind !== 'DEPOSIT') charged += e.charge.amount;
    for (const a of e.allocations) {
      perCharge.set(a.chargeId, (perCharge.get(a.chargeId) ?? 0) + a.amount);
      if (kinds.get(a.chargeId) !== 'DEPOSIT') allocatedToDues += a.amount;
    }
  }
  // Seqs have no gaps; no charge was ever paid beyond its amount.
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  for (const e of entries) if (e.charge && e.charge.amount > 0) expect(perCharge.get(e.charge.id) ?? 0).toBeLessThanOrEqual(e.charge.amount);
  const d = await dues(t, studentId);
  expect(charged - allocatedToDues).toBe(d.amountDue);
  return { entries, d };
}

describe('fee plans', () => {
  it('creates, lists, renames and retires plans; money terms never change; refusals change nothing', async () => {
    const { t, o, libraryId, plan } = await setup('fee-plans');
    const monthly = await plan({ securityDeposit: 50_000, lateFee: 10_000, graceDays: 5, description: 'AC hall' });
    expect(monthly).toMatchObject({
      libraryId,
      name: 'Monthly',
      duration: 'MONTHLY',
      durationDays: null,
      price: 150_000,
      seatKind: 'RESERVED',
      shiftId: null,
      securityDeposit: 50_000,
      gstApplicable: true,
      lateFee: 10_000,
      graceDays: 5,
      retired: false,
    });
    const days = await plan({ name: '15 days', duration: 'DAYS', durationDays: 15, price: 80_000, seatKind: 'ANY' });
    expect(days).toMatchObject({ duration: 'DAYS', durationDays: 15, seatKind: 'ANY', lateFee: null });

    for (const [i, c] of [
      [{ duration: 'DAYS' }, 'BAD_USER_INPUT'],
      [{ durationDays: 10 }, 'BAD_USER_INPUT'],
      [{ price: -1 }, 'BAD_USER_INPUT'],
      [{ libraryId: '0123456789abcdef01234567' }, 'NOT_FOUND'],
      [{ shiftId: 'nope' }, 'BAD_USER_INPUT'],
    ] as const) {
      const bad: Record<string, unknown> = { libraryId, name: 'Bad', duration: 'MONTHLY', price: 1, seatKind: 'ANY', ...(i as Record<string, unknown>) };
      expect(code(await sys.gql(CREATE_PLAN, { i: bad }, o))).toBe(c);
    }
    // Only name and description are editable: the input has no price.
    const upd = await sys.gql(`mutation($id: ID!) { updateFeePlan(id: $id, input: { price: 1 }) { id } }`, { id: monthly.id }, o);
    expect(upd.errors).toBeDefined();
    const renamed = await sys.ok(`mutation($id: ID!) { updateFeePlan(id: $id, input: { name: "Monthly AC" }) { name price } }`, { id: monthly.id }, o);
    expect(renamed.updateFeePlan).toEqual({ name: 'Monthly AC', price: 150_000 });

    const manager = await sys.userToken(t, 'manager');
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(CREATE_PLAN, { i: { libraryId, name: 'M', duration: 'MONTHLY', price: 1, seatKind: 'ANY' } }, { token: manager }))).toBe(
      'FORBIDDEN',
    );
    const list = `query($l: ID!, $r: Boolean) { feePlans(libraryId: $l, includeRetired: $r) { name retired } }`;
    expect((await sys.ok(list, { l: libraryId }, { token: manager })).feePlans.map((p: { name: string }) => p.name)).toEqual(['15 days', 'Monthly AC']);
    expect(code(await sys.gql(list, { l: libraryId }, { token: staff }))).toBe('FORBIDDEN');

    await sys.ok(`mutation($id: ID!) { retireFeePlan(id: $id) { retired } }`, { id: days.id }, o);
    expect((await sys.ok(list, { l: libraryId }, o)).feePlans).toEqual([{ name: 'Monthly AC', retired: false }]);
    expect((await sys.ok(list, { l: libraryId, r: true }, o)).feePlans).toHaveLength(2);
    // Another tenant sees none of them.
    const other = await sys.createTenant('fee-plans-x', { plan: 'starter' });
    expect((await sys.ok(list, { l: libraryId }, { token: other.ownerToken })).feePlans).toEqual([]);
  });
});

describe('memberships and the dues ledger', () => {
  it('assigns a plan: dates from the duration, a period charge and a deposit held apart; idempotent; refusals', async () => {
    const { t, o, libraryId, student, plan } = await setup('fee-assign');
    const asha = await student('Asha');
    const p = await plan({ securityDeposit: 50_000 });
    const i = { studentId: asha, planId: p.id, startDate: '2027-01-31', idempotencyKey: 'assign-asha-1' };
    const [a, b] = await Promise.all([assign(t, i), assign(t, i)]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data.assignFeePlan.id).toBe(a.data.assignFeePlan.id);
    expect(a.data.assignFeePlan).toMatchObject({
      studentId: asha,
      libraryId,
      planId: p.id,
      seatKind: 'RESERVED',
      status: 'ACTIVE',
      startDate: '2027-01-31',
      endDate: '2027-02-27',
      period: 1,
      autoRenew: true,
      terms: { price: 150_000, planName: 'Monthly' },
      plan: { id: p.id },
    });
    const d = await dues(t, asha);
    expect(d).toMatchObject({ amountDue: 150_000, depositDue: 50_000, depositHeld: 0, advanceCredit: 0, overdueSince: null, nextDueDate: '2027-01-31' });
    expect(d.charges.map((c: { kind: string; amount: number }) => [c.kind, c.amount])).toEqual([
      ['MEMBERSHIP', 150_000],
      ['DEPOSIT', 50_000],
    ]);

    expect(code(await assign(t, { ...i, idempotencyKey: 'assign-asha-2' }))).toBe('CONFLICT'); // already running
    // Two assignments of one student with different keys at once: one membership, one set of charges.
    const chetan = await student('Chetan');
    const both = await Promise.all(['race-a', 'race-b', 'race-c'].map((k) => assign(t, { studentId: chetan, planId: p.id, idempotencyKey: `assign-${k}-1` })));
    expect(both.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of both) if (r.errors) expect(code(r)).toBe('CONFLICT');
    expect((await dues(t, chetan)).charges).toHaveLength(2);
    expect(code(await assign(t, { ...i, planId: p.id, idempotencyKey: 'assign-asha-1', studentId: await student('Bina') }))).toBe('CONFLICT'); // key reuse
    expect(code(await assign(t, { ...i, startDate: '2027-02-30', idempotencyKey: 'assign-bad-date' }))).toBe('BAD_USER_INPUT');
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(ASSIGN, { i: { ...i, idempotencyKey: 'assign-staff-1' } }, { token: staff }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(DUES, { id: asha }, { token: staff }))).toBe('FORBIDDEN');

    // The federated entity: own tenant resolves, another tenant's caller gets null.
    const ents = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Membership { id studentId libraryId planId shiftId seatKind status startDate endDate plan { id name } } } }`;
    const r = [
      { __typename: 'Membership', id: a.data.assignFeePlan.id },
      { __typename: 'Membership', id: 'garbage' },
    ];
    expect((await sys.ok(ents, { r }, { ...o, url: sys.subgraphUrls.billing }))._entities[0]).toMatchObject({
      id: a.data.assignFeePlan.id,
      plan: { name: 'Monthly' },
    });
    const other = await sys.createTenant('fee-assign-x', { plan: 'starter' });
    expect((await sys.ok(ents, { r }, { token: other.ownerToken, url: sys.subgraphUrls.billing }))._entities).toEqual([null, null]);
    expect(code(await sys.gql(`query($id: ID!) { membership(id: $id) { id } }`, { id: a.data.assignFeePlan.id }, { token: other.ownerToken }))).toBe(
      'NOT_FOUND',
    );
    const on = await sys.ok(`query($id: ID!) { student(id: $id) { activeMembership { id } memberships { id } } }`, { id: asha }, o);
    expect(on.student).toEqual({ activeMembership: { id: a.data.assignFeePlan.id }, memberships: [{ id: a.data.assignFeePlan.id }] });
  });

  it('allocates payments oldest due first, deposits after dues, the rest as advance credit used by the next charge', async () => {
    const { t, o, student, plan } = await setup('fee-alloc');
    const asha = await student('Asha');
    const p = await plan({ securityDeposit: 50_000 });
    const m = (await assign(t, { studentId: asha, planId: p.id, startDate: '2026-11-01', idempotencyKey: 'alloc-assign' })).data.assignFeePlan;
    expect(m.endDate).toBe('2026-11-30');
    expect((await dues(t, asha)).overdueSince).toBe('2026-11-01');
    await sys.ok(PAY, { i: { studentId: asha, amount: 100_000, method: 'CASH' } }, o);
    expect(await dues(t, asha)).toMatchObject({ amountDue: 50_000, depositDue: 50_000, depositHeld: 0 });
    await sys.ok(PAY, { i: { studentId: asha, amount: 80_000, method: 'UPI' } }, o); // 50k dues, 30k deposit
    expect(await dues(t, asha)).toMatchObject({ amountDue: 0, depositDue: 20_000, depositHeld: 30_000, overdueSince: null });
    await sys.ok(PAY, { i: { studentId: asha, amount: 200_000, method: 'UPI' } }, o); // 20k deposit, 180k advance
    expect(await dues(t, asha)).toMatchObject({ amountDue: 0, depositDue: 0, depositHeld: 50_000, advanceCredit: 180_000 });
    const renewed = await sys.ok(RENEW, { m: m.id }, o);
    expect(renewed.renewMembership).toMatchObject({ period: 2, periodStart: '2026-12-01', endDate: '2026-12-31' });
    const d = await dues(t, asha);
    expect(d).toMatchObject({ amountDue: 0, advanceCredit: 30_000, nextDueDate: '2027-01-01' });
    expect(d.charges.find((c: { id: string }) => c.id === `m:${m.id}:2`)).toMatchObject({ amount: 150_000, outstanding: 0, dueDate: '2026-12-01' });
    await reconcile(t, asha);

    // Leaving: the deposit secures a running membership, so it comes back only after cancelling.
    const RELEASE = `mutation($s: ID!, $k: String!) { releaseDeposit(studentId: $s, idempotencyKey: $k) { amountDue advanceCredit depositHeld } }`;
    expect(code(await sys.gql(RELEASE, { s: asha, k: 'alloc-release-1' }, o))).toBe('CONFLICT');
    await sys.ok(`mutation($m: ID!) { cancelMembership(membershipId: $m, refund: true) { status } }`, { m: m.id }, o);
    // 2026-12-07..31: 25 of 31 days back, floor(150,000 × 25 / 31) = 120,967.
    expect(await dues(t, asha)).toMatchObject({ amountDue: 0, advanceCredit: 150_967, depositHeld: 50_000 });
    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(RELEASE, { s: asha, k: 'alloc-release-1' }, { token: manager }))).toBe('FORBIDDEN');
    const released = await Promise.all([1, 2].map(() => sys.gql(RELEASE, { s: asha, k: 'alloc-release-1' }, o)));
    for (const r of released) expect(r.data.releaseDeposit).toEqual({ amountDue: 0, advanceCredit: 200_967, depositHeld: 0 });
    expect(code(await sys.gql(RELEASE, { s: asha, k: 'alloc-release-2' }, o))).toBe('CONFLICT'); // nothing held any more
    const { entries } = await reconcile(t, asha);
    expect(entries.filter((e) => e.op === 'DEPOSIT_RELEASE')).toHaveLength(1);
  });

  it('under concurrency: payments never over-pay a charge, a payment is allocated once, a renewal makes one charge', async () => {
    const { t, o, student, plan } = await setup('fee-race');
    const asha = await student('Asha');
    const p = await plan();
    const m = (await assign(t, { studentId: asha, planId: p.id, startDate: '2026-12-01', idempotencyKey: 'race-assign' })).data.assignFeePlan;
    // Six payments of 40k race for one 150k charge: 150k allocated, 90k advance.
    const pays = await Promise.all(Array.from({ length: 6 }, () => sys.gql(PAY, { i: { studentId: asha, amount: 40_000, method: 'CASH' } }, o)));
    expect(pays.every((r) => !r.errors)).toBe(true);
    // The same payment retried concurrently: one payment, allocated once.
    const same = { studentId: asha, amount: 10_000, method: 'CASH', idempotencyKey: 'race-pay-same' };
    const twins = await Promise.all([1, 2, 3].map(() => sys.gql(PAY, { i: same }, o)));
    expect(new Set(twins.map((r) => r.data.recordPayment.id)).size).toBe(1);
    expect(await dues(t, asha)).toMatchObject({ amountDue: 0, advanceCredit: 100_000 });
    // Four renewals at once, with or without keys: one new period, one charge.
    const renewals = await Promise.all([null, null, 'race-renew-k1', 'race-renew-k2'].map((k) => sys.gql(RENEW, { m: m.id, k }, o)));
    expect(renewals.filter((r) => !r.errors).length).toBeGreaterThanOrEqual(1);
    for (const r of renewals) if (r.errors) expect(code(r)).toBe('CONFLICT');
    const { entries, d } = await reconcile(t, asha);
    expect(entries.filter((e) => e.op === 'CHARGE').map((e) => e.key)).toEqual([`m:${m.id}:1`, `m:${m.id}:2`]);
    expect(entries.filter((e) => e.op === 'PAYMENT')).toHaveLength(7);
    expect(d).toMatchObject({ amountDue: 50_000, advanceCredit: 0 });
    // A retried renewal with a used key is the same renewal, not a third period (whichever request wrote it).
    for (const k of ['race-renew-k1', 'race-renew-k2']) expect((await sys.ok(RENEW, { m: m.id, k }, o)).renewMembership.period).toBe(2);
    expect((await reconcile(t, asha)).entries.filter((e) => e.op === 'CHARGE')).toHaveLength(2);
    // A new key renews the next period.
    expect((await sys.ok(RENEW, { m: m.id, k: 'race-renew-k3' }, o)).renewMembership.period).toBe(3);
  });

  it('changes plan with prorated credit, freezes, cancels with refund; a refund takes money back out of the ledger', async () => {
    const { t, o, student, plan } = await setup('fee-change');
    const asha = await student('Asha');
    const basic = await plan({ price: 300_000 }); // 30-day November: 10,000 paise a day
    const premium = await plan({ name: 'Premium', price: 450_000, securityDeposit: 20_000 });
    const m = (await assign(t, { studentId: asha, planId: basic.id, startDate: '2026-11-16', idempotencyKey: 'chg-assign' })).data.assignFeePlan;
    expect(m.endDate).toBe('2026-12-15');
    const pay = await sys.ok(PAY, { i: { studentId: asha, amount: 300_000, method: 'CASH' } }, o);
    // Today 2026-12-06: 10 days (6th..15th) unused of 30 → credit 100,000; Premium from today.
    const CHANGE = `mutation($m: ID!, $p: ID!, $k: String!) { changeMembershipPlan(membershipId: $m, planId: $p, idempotencyKey: $k) { ${M_FIELDS} } }`;
    const changed = (await sys.ok(CHANGE, { m: m.id, p: premium.id, k: 'chg-upgrade-1' }, o)).changeMembershipPlan;
    expect(changed).toMatchObject({
      planId: premium.id,
      period: 2,
      periodStart: '2026-12-06',
      endDate: '2027-01-05',
      terms: { price: 450_000, planName: 'Premium' },
    });
    expect((await sys.ok(CHANGE, { m: m.id, p: premium.id, k: 'chg-upgrade-1' }, o)).changeMembershipPlan.period).toBe(2); // retry
    let d = await dues(t, asha);
    expect(d).toMatchObject({ amountDue: 350_000, depositDue: 20_000 });
    expect(d.charges.find((c: { kind: string; amount: number }) => c.kind === 'ADJUSTMENT')).toMatchObject({ amount: -100_000 });

    const FREEZE = `mutation($m: ID!, $d: Int!, $k: String!) { freezeMembership(membershipId: $m, days: $d, idempotencyKey: $k) { status endDate frozenUntil } }`;
    expect(code(await sys.gql(FREEZE, { m: m.id, d: 0, k: 'chg-freeze-0' }, o))).toBe('BAD_USER_INPUT');
    const frozen = await Promise.all([1, 2].map((n) => sys.gql(FREEZE, { m: m.id, d: 10, k: `chg-freeze-${n}` }, o)));
    expect(frozen.filter((r) => !r.errors)).toHaveLength(1); // a second freeze of a frozen membership is refused
    expect(frozen.find((r) => !r.errors)!.data.freezeMembership).toEqual({ status: 'FROZEN', endDate: '2027-01-15', frozenUntil: '2026-12-15' });
    expect(code(await sys.gql(RENEW, { m: m.id }, o))).toBe('CONFLICT');

    const CANCEL = `mutation($m: ID!, $r: Boolean!) { cancelMembership(membershipId: $m, refund: $r) { status endDate autoRenew } }`;
    const cancelled = await sys.ok(CANCEL, { m: m.id, r: true }, o);
    expect(cancelled.cancelMembership).toEqual({ status: 'CANCELLED', endDate: '2026-12-06', autoRenew: false });
    // 2026-12-07..2027-01-15 is 40 days, capped at the 31-day period: 450,000 credited back.
    d = await dues(t, asha);
    expect(d).toMatchObject({ amountDue: 0, advanceCredit: 100_000, depositDue: 20_000, membership: null });
    expect(code(await sys.gql(CANCEL, { m: m.id, r: false }, o))).toBeUndefined(); // the same cancellation, once
    // Refund 150,000 of the payment: 100,000 from the advance, 50,000 owed again.
    await sys.ok(
      `mutation($i: RefundPaymentInput!) { refundPayment(input: $i) { id } }`,
      { i: { paymentId: pay.recordPayment.id, amount: 150_000, reason: 'left', idempotencyKey: 'chg-refund-1' } },
      o,
    );
    d = await dues(t, asha);
    expect(d).toMatchObject({ amountDue: 50_000, advanceCredit: 0 });
    await reconcile(t, asha);
  });

  it('pendingDues ranks by amount owed, including students who never paid', async () => {
    const { t, o, libraryId, student, plan } = await setup('fee-pending');
    const p = await plan({ price: 100_000 });
    const big = await plan({ name: 'Big', price: 300_000 });
    const [a, b, c, z] = await Promise.all(['A', 'B', 'C', 'Z'].map(student));
    for (const [s, pl, start] of [
      [a, p, '2026-10-01'],
      [b, big, '2026-12-01'],
      [c, p, '2026-12-06'],
    ] as const) {
      const r = await assign(t, { studentId: s, planId: pl.id, startDate: start, idempotencyKey: `pend-${s}` });
      expect(r.errors).toBeUndefined();
    }
    await sys.ok(PAY, { i: { studentId: a, amount: 40_000, method: 'CASH' } }, o);
    await sys.ok(PAY, { i: { studentId: z, amount: 40_000, method: 'CASH' } }, o); // advance only: owes nothing
    const Q = `query($d: Int, $l: ID) { pendingDues(olderThanDays: $d, libraryId: $l) { student { id name } amountDue overdueSince daysOverdue lastPaidAt } }`;
    const all = (await sys.ok(Q, { l: libraryId }, o)).pendingDues;
    expect(all.map((r: { student: { name: string }; amountDue: number }) => [r.student.name, r.amountDue])).toEqual([
      ['B', 300_000],
      ['C', 100_000],
      ['A', 60_000],
    ]);
    expect(all[0]).toMatchObject({ overdueSince: '2026-12-01', daysOverdue: 5, lastPaidAt: null });
    expect(all[2]).toMatchObject({ overdueSince: '2026-10-01', daysOverdue: 66 });
    expect((await sys.ok(Q, { d: 30 }, o)).pendingDues.map((r: { student: { name: string } }) => r.student.name)).toEqual(['A']);
    // Pages: `after` the last row's cursor continues in the same order, with no row twice; a forged cursor is refused.
    const PAGE = `query($a: String) { pendingDues(first: 1, after: $a) { student { name } cursor } }`;
    const names: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const page: { student: { name: string }; cursor: string }[] = (await sys.ok(PAGE, { a: after }, o)).pendingDues;
      if (!page.length) break;
      names.push(page[0].student.name);
      after = page[0].cursor;
    }
    expect(names).toEqual(['B', 'C', 'A']);
    const forged = await sys.gql(PAGE, { a: Buffer.from('x:1').toString('base64url') }, o);
    expect(forged.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const manager = await sys.userToken(t, 'manager');
    expect((await sys.ok(Q, {}, { token: manager })).pendingDues).toHaveLength(3);
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(Q, {}, { token: staff }))).toBe('FORBIDDEN');
  });
});

describe('the fee cycle', () => {
  const CYCLE = `mutation($at: DateTimeISO) { runFeeCycle(at: $at) { renewed expired unfrozen lateFees } }`;

  it('renews ended periods once, adds late fees once after grace, expires cancelled memberships; twice at once changes nothing more', async () => {
    const { t, o, student, plan } = await setup('fee-cycle');
    const p = await plan({ lateFee: 10_000, graceDays: 3 });
    const [a, b, c] = await Promise.all(['A', 'B', 'C'].map(student));
    const ma = (await assign(t, { studentId: a, planId: p.id, startDate: '2026-11-01', idempotencyKey: 'cycle-assign-a' })).data.assignFeePlan;
    const mb = (await assign(t, { studentId: b, planId: p.id, startDate: '2026-11-01', idempotencyKey: 'cycle-assign-b' })).data.assignFeePlan;
    const mc = (await assign(t, { studentId: c, planId: p.id, startDate: '2026-12-06', idempotencyKey: 'cycle-assign-c' })).data.assignFeePlan;
    await sys.ok(PAY, { i: { studentId: b, amount: 150_000, method: 'CASH' } }, o);
    await sys.ok(`mutation($m: ID!) { cancelMembership(membershipId: $m, refund: false) { autoRenew } }`, { m: mb.id }, o);
    await sys.ok(`mutation($m: ID!) { freezeMembership(membershipId: $m, days: 5, idempotencyKey: "cycle-freeze-c") { status } }`, { m: mc.id }, o);

    const manager = await sys.userToken(t, 'manager');
    expect(code(await sys.gql(CYCLE, {}, { token: manager }))).toBe('FORBIDDEN');
    // Two runs at once (2026-12-06): A renewed once (period from 12-01), late fees on A's two charges past grace, B expired.
    const runs = await Promise.all([1, 2].map(async () => (await sys.ok(CYCLE, {}, o)).runFeeCycle));
    const sum = (k: 'renewed' | 'expired' | 'unfrozen' | 'lateFees') => runs[0][k] + runs[1][k];
    expect({ renewed: sum('renewed'), expired: sum('expired'), unfrozen: sum('unfrozen'), lateFees: sum('lateFees') }).toEqual({
      renewed: 1,
      expired: 1,
      unfrozen: 0,
      lateFees: 2,
    });
    expect((await sys.ok(CYCLE, {}, o)).runFeeCycle).toEqual({ renewed: 0, expired: 0, unfrozen: 0, lateFees: 0 });
    const da = (await reconcile(t, a)).d;
    expect(da.amountDue).toBe(2 * 150_000 + 2 * 10_000);
    expect(da.charges.map((x: { kind: string; dueDate: string }) => [x.kind, x.dueDate])).toEqual([
      ['MEMBERSHIP', '2026-11-01'],
      ['MEMBERSHIP', '2026-12-01'],
      ['LATE_FEE', '2026-12-06'],
      ['LATE_FEE', '2026-12-06'],
    ]);
    const status = async (id: string) => (await sys.ok(`query($id: ID!) { membership(id: $id) { status period endDate } }`, { id }, o)).membership;
    expect(await status(mb.id)).toMatchObject({ status: 'EXPIRED' });
    // Frozen C: no late fee while frozen; thawed after its freeze; a month on, A renews again.
    expect((await dues(t, c)).charges.filter((x: { kind: string }) => x.kind === 'LATE_FEE')).toHaveLength(0);
    const later = await Promise.all([1, 2].map(async () => (await sys.ok(CYCLE, { at: '2027-01-02T06:00:00Z' }, o)).runFeeCycle));
    expect(later[0].unfrozen + later[1].unfrozen).toBe(1);
    expect(later[0].renewed + later[1].renewed).toBe(1);
    expect(await status(ma.id)).toMatchObject({ status: 'ACTIVE', period: 3, endDate: '2027-01-31' });
    expect(await status(mc.id)).toMatchObject({ status: 'ACTIVE', endDate: '2027-01-10' });
    await reconcile(t, a);
  });
});

describe('branch scope and the partner contract', () => {
  it('a manager limited to one branch sees and changes only its plans, memberships and dues', async () => {
    const { t, o, libraryId, student, plan } = await setup('fee-branch');
    const p = await plan();
    const asha = await student('Asha');
    const m = (await assign(t, { studentId: asha, planId: p.id, startDate: '2026-11-01', idempotencyKey: 'branch-assign' })).data.assignFeePlan;
    const annex = (await sys.ok(`mutation { createLibrary(input: { name: "Annex", capacity: 5 }) { id } }`, {}, o)).createLibrary.id;
    // The manager's own token, re-signed with the branch claim another engineer's login sets.
    const manager = await sys.userToken(t, 'manager');
    const claims = jwt.decode(manager) as AccessClaims;
    const scoped = (lib: string[]) => signAccessToken({ ...claims, lib }, sys.config.jwtSecret as string, 600);
    const away = { token: scoped([annex]) };
    const home = { token: scoped([libraryId]) };
    expect(code(await sys.gql(`query($l: ID!) { feePlans(libraryId: $l) { id } }`, { l: libraryId }, away))).toBe('FORBIDDEN');
    expect(code(await sys.gql(`query($id: ID!) { membership(id: $id) { id } }`, { id: m.id }, away))).toBe('NOT_FOUND');
    expect(code(await sys.gql(RENEW, { m: m.id }, away))).toBe('NOT_FOUND');
    expect((await sys.ok(`{ pendingDues { student { id } } }`, {}, away)).pendingDues).toEqual([]);
    expect((await sys.ok(`{ memberships { id } }`, {}, away)).memberships).toEqual([]);
    const ents = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Membership { id } } }`;
    expect((await sys.ok(ents, { r: [{ __typename: 'Membership', id: m.id }] }, { ...away, url: sys.subgraphUrls.billing }))._entities).toEqual([null]);
    // At home, the same manager works as usual.
    expect((await sys.ok(`{ pendingDues { student { id } amountDue } }`, {}, home)).pendingDues).toEqual([{ student: { id: asha }, amountDue: 150_000 }]);
    expect((await sys.ok(RENEW, { m: m.id }, home)).renewMembership.period).toBe(2);
  });

  it('partners read fee plans and a dues summary with the fees:summary scope, nothing more', async () => {
    const { t, o, libraryId, student, plan } = await setup('fee-partner');
    const p = await plan({ securityDeposit: 10_000 });
    const asha = await student('Asha');
    await assign(t, { studentId: asha, planId: p.id, startDate: '2026-11-01', idempotencyKey: 'partner-assign' });
    const key = async (scopes: string[]) =>
      (await sys.ok(`mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }`, { i: { name: 'fees', scopes } }, o)).createApiKey.key as string;
    const url = sys.gatewayUrl.replace(/\/graphql$/, '/partner/graphql');
    const partner = async (k: string, query: string, variables: Record<string, unknown> = {}) =>
      (
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': k }, body: JSON.stringify({ query, variables }) })
      ).json() as Promise<{ data?: any; errors?: { message: string; extensions?: { code?: string } }[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL responses and raw documents are untyped JSON; the test reads the fields it asserts
    const Q = `query($l: ID!, $s: ID!) { feePlans(libraryId: $l) { name price duration securityDeposit } student(id: $s) { id duesSummary { amountDue overdueSince } } }`;
    const ok = await partner(await key(['students:list', 'fees:summary']), Q, { l: libraryId, s: asha });
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({
      feePlans: [{ name: 'Monthly', price: 150_000, duration: 'MONTHLY', securityDeposit: 10_000 }],
      student: { id: asha, duesSummary: { amountDue: 150_000, overdueSince: '2026-11-01' } },
    });
    const without = await partner(await key(['students:list']), Q, { l: libraryId, s: asha });
    expect(without.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // The ledger itself is not in the public contract.
    const ledger = await partner(await key(['students:list', 'fees:summary']), `query($s: ID!) { student(id: $s) { dues { amountDue } } }`, { s: asha });
    expect(ledger.errors?.[0].message).toMatch(/Cannot query field "dues"/);
  });
});
