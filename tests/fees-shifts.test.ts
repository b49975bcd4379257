import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * The fee cycle across subgraphs (#13 items 1 and 2): shifts (student) priced by fee
 * plans (billing, which checks the shift through the student subgraph), memberships on
 * those plans, and bookings tied to a membership (the student subgraph checks it through
 * billing), with the front desk booking and the refusals writing nothing.
 */
let sys: System;
const now = new Date('2030-12-01T06:00:00Z');
beforeAll(async () => {
  sys = await startSystem({}, { billing: { now: () => now } });
});
afterAll(() => sys?.stop());

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
const message = (r: { errors?: { message: string }[] }) => r.errors?.[0]?.message ?? '';
const CREATE_PLAN = `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id shiftId price } }`;
const SHIFTS = `query($l: ID!) { shifts(libraryId: $l) { id name feePlans { name price } } }`;
const BOOK = `mutation($i: CreateBookingInput!) { createBooking(input: $i) { id shift { id name } membership { id } } }`;

let t: TestTenant;
let hall: string;
let other: string;
let studentA: string;
let studentB: string;
const count = (name: string) => sys.db.tenant(sys.db.tenantDbName(t.slug)).collection(name).countDocuments();
const shiftsOf = async (l: string) =>
  (await sys.ok(SHIFTS, { l }, { token: t.ownerToken })).shifts as { id: string; name: string; feePlans: { name: string; price: number }[] }[];

beforeAll(async () => {
  t = await sys.createTenant('fees-shifts', { limits: { maxLibraries: 5, maxStudents: 50, maxStaff: 5 } });
  const lib = async (name: string) =>
    (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 4 } }, { token: t.ownerToken })).createLibrary
      .id as string;
  [hall, other] = [await lib('Loop Hall'), await lib('Other Hall')];
  const student = async (name: string) =>
    (
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name, phone: '9876543210', libraryId: hall } },
        { token: t.ownerToken },
      )
    ).createStudent.id as string;
  [studentA, studentB] = [await student('Asha'), await student('Bala')];
});

describe('fee plans price shifts', () => {
  it('refuses a shift of another library, an unknown or retired shift, writing nothing; a plan shows on its shift', async () => {
    const evening = (await shiftsOf(hall)).find((s) => s.name === 'Evening')!;
    const otherMorning = (await shiftsOf(other)).find((s) => s.name === 'Morning')!;
    const late = (
      await sys.ok(
        `mutation($i: CreateShiftInput!) { createShift(input: $i) { id } }`,
        { i: { libraryId: hall, name: 'Late', startTime: '18:00', endTime: '22:00' } },
        { token: t.ownerToken },
      )
    ).createShift.id;
    await sys.ok(`mutation($id: ID!) { retireShift(id: $id) { id } }`, { id: late }, { token: t.ownerToken });
    const base = { libraryId: hall, name: 'Evening monthly', duration: 'MONTHLY', price: 120_000, seatKind: 'RESERVED' };
    const before = await count('fee_plans');
    for (const [shiftId, text] of [
      [otherMorning.id, /no such shift at this library/],
      ['6a0000000000000000000001', /no such shift/],
      [late, /not active/],
    ] as const) {
      const res = await sys.gql(CREATE_PLAN, { i: { ...base, shiftId } }, { token: t.ownerToken });
      expect([code(res), message(res)]).toEqual(['BAD_USER_INPUT', expect.stringMatching(text)]);
    }
    expect(await count('fee_plans')).toBe(before);

    const plan = (await sys.ok(CREATE_PLAN, { i: { ...base, shiftId: evening.id } }, { token: t.ownerToken })).createFeePlan;
    expect(plan).toEqual({ id: expect.any(String), shiftId: evening.id, price: 120_000 });
    const priced = await shiftsOf(hall);
    expect(priced.find((s) => s.id === evening.id)!.feePlans).toEqual([{ name: 'Evening monthly', price: 120_000 }]);
    expect(priced.filter((s) => s.id !== evening.id).every((s) => s.feePlans.length === 0)).toBe(true);
    // Staff see shifts but not their prices.
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(SHIFTS, { l: hall }, { token: staff }))).toBe('FORBIDDEN');
    expect((await sys.ok(`query($l: ID!) { shifts(libraryId: $l) { name } }`, { l: hall }, { token: staff })).shifts.length).toBe(priced.length);
  });
});

describe('bookings tied to a real membership', () => {
  it("books the membership's shift (front desk too), refuses another student's, other dates and a frozen membership, writing nothing", async () => {
    const evening = (await shiftsOf(hall)).find((s) => s.name === 'Evening')!;
    const planId = (
      await sys.ok(
        CREATE_PLAN,
        { i: { libraryId: hall, name: 'Evening plan', duration: 'MONTHLY', price: 90_000, seatKind: 'RESERVED', shiftId: evening.id } },
        { token: t.ownerToken },
      )
    ).createFeePlan.id;
    const m = (
      await sys.ok(
        `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id shiftId startDate endDate status } }`,
        { i: { studentId: studentA, planId, startDate: '2030-12-01', idempotencyKey: 'assign-asha-1' } },
        { token: t.ownerToken },
      )
    ).assignFeePlan;
    expect(m).toMatchObject({ shiftId: evening.id, startDate: '2030-12-01', endDate: '2030-12-31', status: 'ACTIVE' });

    const staff = await sys.userToken(t, 'staff');
    const book = (i: Record<string, unknown>, token = staff) =>
      sys.gql(
        BOOK,
        { i: { libraryId: hall, kind: 'MONTHLY', studentId: studentA, seatNumber: 1, date: '2030-12-01', endDate: '2030-12-15', membershipId: m.id, ...i } },
        { token },
      );
    const before = { bookings: await count('bookings'), claims: await count('seat_claims') };
    expect([code(await book({ studentId: studentB })), message(await book({ studentId: studentB }))]).toEqual([
      'BAD_USER_INPUT',
      expect.stringMatching(/another student/),
    ]);
    expect(code(await book({ date: '2030-12-20', endDate: '2031-01-05' }))).toBe('CONFLICT');
    expect(await count('bookings')).toBe(before.bookings);
    expect(await count('seat_claims')).toBe(before.claims);

    // The front desk books against the membership: the booking takes its shift, and lists it.
    const booked = await book({});
    expect(booked.errors).toBeUndefined();
    expect(booked.data.createBooking).toMatchObject({ shift: { id: evening.id, name: 'Evening' }, membership: { id: m.id } });
    // The owner follows the booking to the membership's plan and price (billing, through federation).
    const priced = await sys.ok(
      `query($s: ID!) { bookings(studentId: $s) { membership { status plan { price } } } }`,
      { s: studentA },
      { token: t.ownerToken },
    );
    expect(priced.bookings).toEqual([{ membership: { status: 'ACTIVE', plan: { price: 90_000 } } }]);

    // Frozen: no new bookings on it.
    await sys.ok(
      `mutation($m: ID!) { freezeMembership(membershipId: $m, days: 5, idempotencyKey: "freeze-asha-1") { status } }`,
      { m: m.id },
      { token: t.ownerToken },
    );
    const frozen = await book({ seatNumber: 2, date: '2030-12-16', endDate: '2030-12-20' });
    expect([code(frozen), message(frozen)]).toEqual(['CONFLICT', expect.stringMatching(/FROZEN/)]);
    expect(await count('bookings')).toBe(before.bookings + 1);
  });
});
