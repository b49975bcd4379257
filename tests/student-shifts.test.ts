import jwt from 'jsonwebtoken';
import { Types } from 'mongoose';
import { migrate } from '../cli/migrate';
import { signAccessToken, type AccessClaims } from '../core/auth/tokens';
import { shiftsForSlotBookings } from '../migrations/003-shifts-for-slot-bookings';
import { membershipDay } from '../subgraphs/student/membership.client';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(() => sys?.stop());

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const message = (res: GqlResult) => res.errors?.[0]?.message ?? '';
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const count = (t: TestTenant, collection: string, filter: Record<string, unknown> = {}) => tenantDb(t).collection(collection).countDocuments(filter);

const SHIFT = 'id libraryId name startTime endTime days overnight active slot';
const SHIFTS = `query($l: ID!, $r: Boolean) { shifts(libraryId: $l, includeRetired: $r) { ${SHIFT} } }`;
const CREATE_SHIFT = `mutation($i: CreateShiftInput!) { createShift(input: $i) { ${SHIFT} } }`;
const UPDATE_SHIFT = `mutation($id: ID!, $i: UpdateShiftInput!) { updateShift(id: $id, input: $i) { ${SHIFT} } }`;
const RETIRE_SHIFT = `mutation($id: ID!) { retireShift(id: $id) { ${SHIFT} } }`;
const BOOKING = `mutation($i: CreateBookingInput!) { createBooking(input: $i) {
  id kind slot date endDate fromHour toHour seatNumber status membership { id } shift { id name startTime endTime } } }`;
const BOOK = `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id kind slot fromHour toHour shift { name } } }`;
const AVAIL = `query($l: ID!, $d: String!, $s: TimeSlot, $sh: ID) { seatAvailability(libraryId: $l, date: $d, slot: $s, shiftId: $sh) { seat { number } free bookingIds } }`;
const OCCUPANCY = `query($l: ID!, $d: String!) { shiftOccupancy(libraryId: $l, date: $d) {
  shift { name } date capacity booked free checkedIn percent current } }`;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Shift { id libraryId active name } } }`;

const FIVE_LIBRARIES = { limits: { maxLibraries: 5, maxStudents: 50, maxStaff: 5 } };

async function createLibrary(t: TestTenant, name: string, capacity: number, hours: { openingTime?: string; closingTime?: string } = {}) {
  const data = await sys.ok(
    `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`,
    { i: { name, capacity, ...hours } },
    { token: t.ownerToken },
  );
  return data.createLibrary.id as string;
}

let phoneSeq = 7100000000;
async function createStudent(t: TestTenant, libraryId: string, name: string) {
  const data = await sys.ok(
    `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
    { i: { name, phone: `+91${phoneSeq++}`, libraryId } },
    { token: t.ownerToken },
  );
  return data.createStudent.id as string;
}

const createShift = (t: TestTenant, i: Record<string, unknown>, token = t.ownerToken) => sys.gql(CREATE_SHIFT, { i }, { token });
const shiftsOf = async (t: TestTenant, libraryId: string, includeRetired = false) =>
  (await sys.ok(SHIFTS, { l: libraryId, r: includeRetired }, { token: t.ownerToken })).shifts as { id: string; name: string; [k: string]: unknown }[];

/** A copy of `token` limited to some libraries (the `lib` claim branch-scoped staff carry). */
function scopedToken(token: string, lib: string[]) {
  const claims = jwt.decode(token) as AccessClaims;
  return signAccessToken({ ...claims, lib }, sys.config.jwtSecret, 600);
}

describe('shift configuration', () => {
  let t: TestTenant;
  let lib: string;
  beforeAll(async () => {
    t = await sys.createTenant('sh-config', FIVE_LIBRARIES);
    lib = await createLibrary(t, 'Day Hall', 10);
  });

  it('gives a library default shifts from its opening hours on first use, once, also under concurrent first use', async () => {
    const lists = await Promise.all([1, 2, 3].map(() => shiftsOf(t, lib)));
    for (const l of lists) expect(l.map((s) => s.name).sort()).toEqual(['Evening', 'Full day', 'Morning']);
    expect(await count(t, 'shifts', {})).toBe(3);
    expect(lists[0].find((s) => s.name === 'Morning')).toMatchObject({
      startTime: '06:00',
      endTime: '14:00',
      slot: 'MORNING',
      overnight: false,
      active: true,
      days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'],
    });
    // A library open 08:00-20:00 gets defaults inside those hours.
    const short = await createLibrary(t, 'Short Hall', 4, { openingTime: '08:00', closingTime: '20:00' });
    const l = await shiftsOf(t, short);
    expect(l.map((s) => [s.name, s.startTime, s.endTime])).toEqual([
      ['Full day', '08:00', '20:00'],
      ['Morning', '08:00', '14:00'],
      ['Evening', '14:00', '20:00'],
    ]);
    // Library.shifts through the gateway, next to the tenant subgraph's fields.
    const viaLib = await sys.ok(`query($id: ID!) { library(id: $id) { name openingTime shifts { name } } }`, { id: short }, { token: t.ownerToken });
    expect(viaLib.library.shifts.map((s: { name: string }) => s.name)).toEqual(['Full day', 'Morning', 'Evening']);
  });

  it('creates shifts inside the opening hours and refuses bad ones with BAD_USER_INPUT, writing nothing', async () => {
    const early = await sys.ok(
      CREATE_SHIFT,
      { i: { libraryId: lib, name: 'Early bird', startTime: '06:00', endTime: '10:00', days: ['FRIDAY', 'MONDAY', 'MONDAY'] } },
      { token: t.ownerToken },
    );
    expect(early.createShift).toMatchObject({
      libraryId: lib,
      name: 'Early bird',
      startTime: '06:00',
      endTime: '10:00',
      days: ['MONDAY', 'FRIDAY'],
      overnight: false,
      active: true,
      slot: null,
    });
    const before = await count(t, 'shifts');
    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ startTime: '10:00', endTime: '10:00' }, 'input.endTime', /differ/],
      [{ startTime: '05:00', endTime: '09:00' }, 'input.startTime', /opening hours 06:00–22:00/],
      [{ startTime: '18:00', endTime: '23:00' }, 'input.startTime', /opening hours/],
      [{ startTime: '22:00', endTime: '06:00' }, 'input.endTime', /overnight shift needs a library open across midnight/],
      [{ startTime: '06:30', endTime: '10:00' }, 'input.startTime', /on the hour/],
      [{ startTime: '25:00', endTime: '10:00' }, '', /HH:MM/],
      [{ name: 'EARLY BIRD ' }, 'input.name', /has this name/],
      [{ name: '   ' }, 'input.name', /blank/],
      [{ days: [] }, '', /days/],
      [{ libraryId: 'nope' }, 'input.libraryId', /valid id/],
    ];
    for (const [patch, field, text] of bad) {
      const res = await createShift(t, { libraryId: lib, name: 'Other', startTime: '10:00', endTime: '12:00', ...patch });
      expect([code(res), patch]).toEqual(['BAD_USER_INPUT', patch]);
      if (field) expect(res.errors?.[0].extensions?.field).toBe(field);
      expect(message(res)).toMatch(text);
    }
    expect(code(await createShift(t, { libraryId: '64b000000000000000000000', name: 'X', startTime: '10:00', endTime: '12:00' }))).toBe('NOT_FOUND');
    expect(await count(t, 'shifts')).toBe(before);
    // Concurrent creates of one name: exactly one wins.
    const racers = await Promise.all([1, 2, 3, 4].map(() => createShift(t, { libraryId: lib, name: 'Noon', startTime: '12:00', endTime: '13:00' })));
    expect(racers.filter((r) => !r.errors).length).toBe(1);
    expect(racers.filter((r) => code(r) === 'BAD_USER_INPUT').length).toBe(3);
  });

  it('allows overnight shifts where the library is open across midnight or 24 h', async () => {
    const allDay = await createLibrary(t, 'Always Open', 6, { openingTime: '00:00', closingTime: '00:00' });
    const defaults = await shiftsOf(t, allDay);
    expect(defaults.find((s) => s.name === 'Night')).toMatchObject({ startTime: '22:00', endTime: '06:00', overnight: true, slot: null });
    const late = await sys.ok(CREATE_SHIFT, { i: { libraryId: allDay, name: 'Late', startTime: '20:00', endTime: '04:00' } }, { token: t.ownerToken });
    expect(late.createShift).toMatchObject({ overnight: true });
    // Open 18:00 to 02:00: the night is inside, 01:00-03:00 is not.
    const evening = await createLibrary(t, 'Night Owl', 6, { openingTime: '18:00', closingTime: '02:00' });
    for (const [s, e] of [
      ['22:00', '02:00'],
      ['00:00', '02:00'],
      ['18:00', '23:00'],
    ]) {
      expect((await createShift(t, { libraryId: evening, name: `${s}-${e}`, startTime: s, endTime: e })).errors).toBeUndefined();
    }
    const out = await createShift(t, { libraryId: evening, name: 'Too late', startTime: '01:00', endTime: '03:00' });
    expect([code(out), message(out)]).toEqual(['BAD_USER_INPUT', expect.stringMatching(/opening hours 18:00–02:00/)]);
  });

  it('renames freely, changes times only without current or future bookings, retires without touching bookings', async () => {
    await shiftsOf(t, lib);
    const s = (await sys.ok(CREATE_SHIFT, { i: { libraryId: lib, name: 'Study', startTime: '14:00', endTime: '18:00' } }, { token: t.ownerToken })).createShift;
    const moved = await sys.ok(UPDATE_SHIFT, { id: s.id, i: { startTime: '15:00', endTime: '19:00', days: ['SUNDAY', 'SATURDAY'] } }, { token: t.ownerToken });
    expect(moved.updateShift).toMatchObject({ startTime: '15:00', endTime: '19:00', days: ['SATURDAY', 'SUNDAY'] });
    expect(code(await sys.gql(UPDATE_SHIFT, { id: s.id, i: { endTime: '23:00' } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(UPDATE_SHIFT, { id: s.id, i: { name: 'morning' } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    const student = await createStudent(t, lib, 'Asha');
    const booking = await sys.ok(
      BOOKING,
      { i: { studentId: student, libraryId: lib, seatNumber: 1, date: '2030-07-06', kind: 'DAILY', shiftId: s.id } },
      { token: t.ownerToken },
    );
    expect(booking.createBooking).toMatchObject({ fromHour: 15, toHour: 19, slot: null, shift: { id: s.id, name: 'Study' }, membership: null });
    const refused = await sys.gql(UPDATE_SHIFT, { id: s.id, i: { startTime: '16:00' } }, { token: t.ownerToken });
    expect([code(refused), message(refused)]).toEqual(['CONFLICT', expect.stringMatching(/1 current or future booking/)]);
    expect(code(await sys.gql(UPDATE_SHIFT, { id: s.id, i: { days: ['SATURDAY'] } }, { token: t.ownerToken }))).toBe('CONFLICT');
    const renamed = await sys.ok(UPDATE_SHIFT, { id: s.id, i: { name: 'Weekend study' } }, { token: t.ownerToken });
    expect(renamed.updateShift).toMatchObject({ name: 'Weekend study', startTime: '15:00', endTime: '19:00' });

    const retired = await sys.ok(RETIRE_SHIFT, { id: s.id }, { token: t.ownerToken });
    expect(retired.retireShift).toMatchObject({ active: false, name: 'Weekend study' });
    expect((await sys.ok(RETIRE_SHIFT, { id: s.id }, { token: t.ownerToken })).retireShift.active).toBe(false);
    expect((await shiftsOf(t, lib)).map((x) => x.id)).not.toContain(s.id);
    expect((await shiftsOf(t, lib, true)).map((x) => x.id)).toContain(s.id);
    const late = await sys.gql(
      BOOKING,
      { i: { studentId: student, libraryId: lib, seatNumber: 2, date: '2030-07-13', kind: 'DAILY', shiftId: s.id } },
      { token: t.ownerToken },
    );
    expect([code(late), message(late)]).toEqual(['CONFLICT', expect.stringMatching(/retired/)]);
    expect(code(await sys.gql(UPDATE_SHIFT, { id: s.id, i: { name: 'Again' } }, { token: t.ownerToken }))).toBe('CONFLICT');
    // The booking stays; the name is free again.
    expect(await count(t, 'bookings', { status: 'confirmed' })).toBe(1);
    expect((await createShift(t, { libraryId: lib, name: 'Weekend study', startTime: '15:00', endTime: '19:00' })).errors).toBeUndefined();
  });
});

describe('bookings of shifts', () => {
  let t: TestTenant;
  let lib: string;
  let night: string;
  const students: string[] = [];
  beforeAll(async () => {
    t = await sys.createTenant('sh-book', FIVE_LIBRARIES);
    lib = await createLibrary(t, 'Round the Clock', 5, { openingTime: '00:00', closingTime: '00:00' });
    for (const n of ['A', 'B', 'C', 'D', 'E', 'F']) students.push(await createStudent(t, lib, `Student ${n}`));
    night = (await shiftsOf(t, lib)).find((s) => s.name === 'Night')!.id;
  });
  const book = (i: Record<string, unknown>) => sys.gql(BOOKING, { i: { libraryId: lib, kind: 'DAILY', ...i } }, { token: t.ownerToken });

  it('overlapping shifts collide on a seat and on a student; adjacent ones do not', async () => {
    const mk = async (name: string, startTime: string, endTime: string, days?: string[]) =>
      (await sys.ok(CREATE_SHIFT, { i: { libraryId: lib, name, startTime, endTime, days } }, { token: t.ownerToken })).createShift.id as string;
    const a = await mk('A 06-10', '06:00', '10:00');
    const b = await mk('B 08-12', '08:00', '12:00');
    const c = await mk('C 10-14', '10:00', '14:00');
    const date = '2030-07-01';
    expect((await book({ studentId: students[0], seatNumber: 1, date, shiftId: a })).errors).toBeUndefined();
    const clash = await book({ studentId: students[1], seatNumber: 1, date, shiftId: b });
    expect([code(clash), clash.errors?.[0].extensions?.field]).toEqual(['CONFLICT', 'input.seatNumber']);
    expect((await book({ studentId: students[1], seatNumber: 2, date, shiftId: b })).errors).toBeUndefined();
    expect((await book({ studentId: students[2], seatNumber: 1, date, shiftId: c })).errors).toBeUndefined();
    // The student of A cannot also sit B elsewhere.
    const twice = await book({ studentId: students[0], seatNumber: 3, date, shiftId: b });
    expect([code(twice), twice.errors?.[0].extensions?.field]).toEqual(['CONFLICT', 'input.date']);
    // The old slot maps to the library's shift of that slot and collides the same way (MORNING 06-14 vs A).
    const slot = await book({ studentId: students[3], seatNumber: 1, date, slot: 'MORNING' });
    expect(code(slot)).toBe('CONFLICT');
    const slotOk = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'DAILY', studentId: students[3], seatNumber: 4, date, slot: 'MORNING' } },
      { token: t.ownerToken },
    );
    expect(slotOk.createBooking).toMatchObject({ slot: 'MORNING', fromHour: 6, toHour: 14, shift: { name: 'Morning' } });
    const avail = await sys.ok(AVAIL, { l: lib, d: date, sh: b }, { token: t.ownerToken });
    expect(avail.seatAvailability.map((x: { free: boolean }) => x.free)).toEqual([false, false, true, false, true]);
  });

  it('concurrent bookings of overlapping shifts on one seat: exactly one wins, the losers leave no claims', async () => {
    const all = await shiftsOf(t, lib);
    // Morning 06-14, Full day 06-22, A 06-10 and B 08-12 overlap pairwise.
    const ids = ['Morning', 'Full day', 'A 06-10', 'B 08-12'].map((n) => all.find((s) => s.name === n)!.id);
    const date = '2030-07-02';
    const results = await Promise.all(ids.map((shiftId, i) => book({ studentId: students[i], seatNumber: 5, date, shiftId })));
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => code(r) === 'CONFLICT')).toHaveLength(3);
    // The seat's hours that day are the winner's only, each once.
    const won = winners[0].data.createBooking;
    const claims = await tenantDb(t).collection('seat_claims').find({ date, seatNumber: 5 }).toArray();
    expect(claims.map((c) => c.hour).sort((x, y) => x - y)).toEqual(Array.from({ length: won.toHour - won.fromHour }, (_, i) => won.fromHour + i));
    expect(claims.every((c) => String(c.bookingId) === won.id)).toBe(true);
    expect(await count(t, 'bookings', { date, seatNumber: 5 })).toBe(1);
    // The same shift six times on one seat: exactly one.
    const same = await Promise.all(students.map((s) => book({ studentId: s, seatNumber: 5, date: '2030-07-03', shiftId: night })));
    expect(same.filter((r) => !r.errors).length).toBe(1);
    expect(same.filter((r) => code(r) === 'CONFLICT').length).toBe(5);
  });

  it('an overnight shift holds the next morning: it collides with early shifts of the next day, seat and student', async () => {
    const early = (await sys.ok(CREATE_SHIFT, { i: { libraryId: lib, name: 'Dawn', startTime: '04:00', endTime: '08:00' } }, { token: t.ownerToken }))
      .createShift.id;
    const nightBooking = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'DAILY', studentId: students[0], seatNumber: 2, date: '2030-08-01', shiftId: night } },
      { token: t.ownerToken },
    );
    expect(nightBooking.createBooking).toMatchObject({ fromHour: 22, toHour: 30, date: '2030-08-01', endDate: '2030-08-01', shift: { name: 'Night' } });
    expect(await count(t, 'seat_claims', { bookingId: { $exists: true }, date: '2030-08-02', seatNumber: 2 })).toBe(6);
    expect(code(await book({ studentId: students[1], seatNumber: 2, date: '2030-08-02', shiftId: early }))).toBe('CONFLICT');
    expect(code(await book({ studentId: students[0], seatNumber: 3, date: '2030-08-02', shiftId: early }))).toBe('CONFLICT');
    // Morning (06-14) of the next day starts as the night ends.
    expect((await book({ studentId: students[1], seatNumber: 2, date: '2030-08-02', slot: 'MORNING' })).errors).toBeUndefined();
    // Availability of the night includes the next morning's hours.
    const avail = await sys.ok(AVAIL, { l: lib, d: '2030-08-01', sh: night }, { token: t.ownerToken });
    expect(avail.seatAvailability.find((x: { seat: { number: number } }) => x.seat.number === 2).free).toBe(false);
    const dawn = await sys.ok(AVAIL, { l: lib, d: '2030-08-02', sh: early }, { token: t.ownerToken });
    // Dawn (04-08) meets the night before and this morning's booking.
    expect(dawn.seatAvailability.find((x: { seat: { number: number } }) => x.seat.number === 2).bookingIds).toHaveLength(2);
    expect(dawn.seatAvailability.find((x: { seat: { number: number } }) => x.seat.number === 2).bookingIds).toContain(nightBooking.createBooking.id);
  });

  it('holds only the days a shift runs; refuses a day it does not run and bad combinations, writing nothing', async () => {
    const weekdays = (
      await sys.ok(
        CREATE_SHIFT,
        { i: { libraryId: lib, name: 'Weekdays', startTime: '09:00', endTime: '13:00', days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] } },
        { token: t.ownerToken },
      )
    ).createShift.id;
    const before = { bookings: await count(t, 'bookings'), claims: await count(t, 'seat_claims') };
    const sat = await book({ studentId: students[4], seatNumber: 3, date: '2030-09-07', shiftId: weekdays });
    expect([code(sat), message(sat)]).toEqual(['BAD_USER_INPUT', expect.stringMatching(/does not run on saturdays/)]);
    const both = await book({ studentId: students[4], seatNumber: 3, date: '2030-09-02', shiftId: weekdays, slot: 'MORNING' });
    expect(code(both)).toBe('BAD_USER_INPUT');
    const hourly = await book({ kind: 'HOURLY', studentId: students[4], seatNumber: 3, date: '2030-09-02', fromHour: 9, toHour: 10, shiftId: weekdays });
    expect(code(hourly)).toBe('BAD_USER_INPUT');
    const other = await createLibrary(t, 'Elsewhere', 3);
    const foreignShift = (await shiftsOf(t, other))[0].id;
    const wrongLib = await book({ studentId: students[4], seatNumber: 3, date: '2030-09-02', shiftId: foreignShift });
    expect([code(wrongLib), wrongLib.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', 'input.shiftId']);
    expect(await count(t, 'bookings')).toBe(before.bookings);
    expect(await count(t, 'seat_claims')).toBe(before.claims);
    // Two weeks, Monday to Sunday: ten weekdays held, weekends free.
    const monthly = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'MONTHLY', studentId: students[4], seatNumber: 3, date: '2030-09-02', endDate: '2030-09-15', shiftId: weekdays } },
      { token: t.ownerToken },
    );
    expect(monthly.createBooking).toMatchObject({ date: '2030-09-02', endDate: '2030-09-15', fromHour: 9, toHour: 13 });
    expect(await count(t, 'seat_claims', { bookingId: { $exists: true }, seatNumber: 3, date: { $gte: '2030-09-02', $lte: '2030-09-15' } })).toBe(10 * 4);
    const sunday = await sys.ok(AVAIL, { l: lib, d: '2030-09-08', sh: weekdays }, { token: t.ownerToken });
    expect(sunday.seatAvailability[2].free).toBe(true);
    // assignSeats by shift: the same weekday rule, one result per row.
    const assigned = await sys.ok(
      `mutation($i: AssignSeatsInput!) { assignSeats(input: $i) { status message booking { shift { name } } } }`,
      {
        i: {
          libraryId: lib,
          fromDate: '2030-09-16',
          toDate: '2030-09-22',
          shiftId: weekdays,
          assignments: [
            { studentId: students[4], seatNumber: 3 },
            { studentId: students[5], seatNumber: 3 },
          ],
        },
      },
      { token: t.ownerToken },
    );
    expect(assigned.assignSeats.map((r: { status: string }) => r.status)).toEqual(['ASSIGNED', 'CONFLICT']);
    expect(assigned.assignSeats[0].booking.shift.name).toBe('Weekdays');
    // Another student takes the weekend on that seat.
    expect((await book({ studentId: students[5], seatNumber: 3, date: '2030-09-08', slot: 'FULL_DAY' })).errors).toBeUndefined();
  });

  it('old clients: bookSeat and slots map to the library shifts, created on demand when the owner defined other shifts first', async () => {
    const fresh = await createLibrary(t, 'Custom First', 3);
    const s = await createStudent(t, fresh, 'Old Client');
    await sys.ok(CREATE_SHIFT, { i: { libraryId: fresh, name: 'Morning', startTime: '07:00', endTime: '11:00' } }, { token: t.ownerToken });
    const booked = await sys.ok(BOOK, { i: { studentId: s, libraryId: fresh, seatNumber: 1, date: '2030-10-01' } }, { token: t.ownerToken });
    expect(booked.bookSeat).toMatchObject({ kind: 'DAILY', slot: 'FULL_DAY', fromHour: 6, toHour: 22, shift: { name: 'Full day' } });
    const morning = await sys.ok(
      BOOKING,
      { i: { libraryId: fresh, kind: 'DAILY', studentId: s, seatNumber: 2, date: '2030-10-02', slot: 'MORNING' } },
      { token: t.ownerToken },
    );
    // The owner's own "Morning" (07-11) is not the slot's shift: that one is created beside it.
    expect(morning.createBooking).toMatchObject({ slot: 'MORNING', fromHour: 6, toHour: 14, shift: { name: 'Morning (morning slot)' } });
    expect((await shiftsOf(t, fresh)).map((x) => x.name).sort()).toEqual(['Full day', 'Morning', 'Morning (morning slot)']);
  });

  it('reports per-shift occupancy: seats booked and check-ins during each shift', async () => {
    const occLib = await createLibrary(t, 'Occupancy Hall', 4);
    const s1 = await createStudent(t, occLib, 'Occ One');
    const s2 = await createStudent(t, occLib, 'Occ Two');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
    await sys.ok(BOOKING, { i: { libraryId: occLib, kind: 'DAILY', studentId: s1, seatNumber: 1, date: today, slot: 'MORNING' } }, { token: t.ownerToken });
    await sys.ok(BOOKING, { i: { libraryId: occLib, kind: 'DAILY', studentId: s2, seatNumber: 2, date: today, slot: 'EVENING' } }, { token: t.ownerToken });
    await sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s: s1 }, { token: t.ownerToken });
    const rows = (await sys.ok(OCCUPANCY, { l: occLib, d: today }, { token: t.ownerToken })).shiftOccupancy;
    const by = Object.fromEntries(rows.map((r: { shift: { name: string } }) => [r.shift.name, r]));
    expect(Object.keys(by).sort()).toEqual(['Evening', 'Full day', 'Morning']);
    expect(by.Morning).toMatchObject({ date: today, capacity: 4, booked: 1, free: 3 });
    expect(by.Evening).toMatchObject({ booked: 1, free: 3 });
    expect(by['Full day']).toMatchObject({ booked: 2, free: 2 });
    // The visit began now: it counts for the shift running now, not for past or future ones.
    for (const r of rows) expect(r.checkedIn).toBe(r.current ? 1 : 0);
    for (const r of rows) expect(r.percent).toBe(r.current ? 25 : 0);
    expect(code(await sys.gql(OCCUPANCY, { l: occLib, d: '2030-02-30' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
  });
});

describe('permissions, branch scope and tenant isolation', () => {
  it('staff read shifts but cannot manage them; scoped managers only manage their branches; other tenants see nothing', async () => {
    const t = await sys.createTenant('sh-perm', FIVE_LIBRARIES);
    const mine = await createLibrary(t, 'Mine', 3);
    const theirs = await createLibrary(t, 'Theirs', 3);
    const theirShift = (await shiftsOf(t, theirs))[0];
    const staff = await sys.userToken(t, 'staff');
    expect((await sys.ok(SHIFTS, { l: mine }, { token: staff })).shifts).toHaveLength(3);
    expect(code(await createShift(t, { libraryId: mine, name: 'Staff shift', startTime: '10:00', endTime: '12:00' }, staff))).toBe('FORBIDDEN');
    expect(code(await sys.gql(RETIRE_SHIFT, { id: theirShift.id }, { token: staff }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(OCCUPANCY, { l: mine, d: '2030-01-01' }, { token: await sys.userToken(t, 'staff') }))).toBeUndefined();

    const manager = scopedToken(await sys.userToken(t, 'manager'), [mine]);
    expect((await createShift(t, { libraryId: mine, name: 'Branch shift', startTime: '10:00', endTime: '12:00' }, manager)).errors).toBeUndefined();
    const before = await count(t, 'shifts');
    expect(code(await createShift(t, { libraryId: theirs, name: 'Not mine', startTime: '10:00', endTime: '12:00' }, manager))).toBe('FORBIDDEN');
    expect(code(await sys.gql(SHIFTS, { l: theirs }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(OCCUPANCY, { l: theirs, d: '2030-01-01' }, { token: manager }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(UPDATE_SHIFT, { id: theirShift.id, i: { name: 'Renamed' } }, { token: manager }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(RETIRE_SHIFT, { id: theirShift.id }, { token: manager }))).toBe('NOT_FOUND');
    expect(await count(t, 'shifts')).toBe(before);
    expect(await count(t, 'shifts', { active: false })).toBe(0);
    // Another branch's library is not visible to a scoped manager at all (tenant subgraph), so neither are its shifts.
    const libs = await sys.ok(`query($id: ID!) { library(id: $id) { shifts { id } } }`, { id: theirs }, { token: manager });
    expect(libs.library).toBeNull();

    // `_entities` (billing's fee plans check { id libraryId active }): own tenant and branch only.
    const other = await sys.createTenant('sh-perm-b');
    const reps = [theirShift.id, 'garbage', theirShift.id.toUpperCase()].map((id) => ({ __typename: 'Shift', id }));
    const own = await sys.ok(ENTITIES, { r: reps }, { token: t.ownerToken, url: sys.subgraphUrls.student });
    expect(own._entities).toEqual([
      { id: theirShift.id, libraryId: theirs, active: true, name: theirShift.name },
      null,
      expect.objectContaining({ id: theirShift.id }),
    ]);
    expect((await sys.ok(ENTITIES, { r: reps.slice(0, 1) }, { token: other.ownerToken, url: sys.subgraphUrls.student }))._entities).toEqual([null]);
    expect((await sys.ok(ENTITIES, { r: reps.slice(0, 1) }, { token: manager, url: sys.subgraphUrls.student }))._entities).toEqual([null]);
    expect(code(await sys.gql(ENTITIES, { r: reps.slice(0, 1) }, { url: sys.subgraphUrls.student }))).toBe('UNAUTHENTICATED');
    // The other tenant cannot list, change or book the shift.
    expect(code(await sys.gql(SHIFTS, { l: theirs }, { token: other.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(UPDATE_SHIFT, { id: theirShift.id, i: { name: 'Hijack' } }, { token: other.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(RETIRE_SHIFT, { id: theirShift.id }, { token: other.ownerToken }))).toBe('NOT_FOUND');
    expect((await shiftsOf(t, theirs)).find((s) => s.id === theirShift.id)).toMatchObject({ name: theirShift.name, active: true });
  });
});

describe("bookings tied to a membership (billing's own memberships, read through federation)", () => {
  let t: TestTenant;
  let lib: string;
  let otherLib: string;
  let s1: string;
  let s2: string;
  let evening: string;
  /** Memberships by what they are for; one running membership per student, so one student each. */
  const m: Record<'evening' | 'frozen' | 'free' | 'any', { id: string; student: string }> = {} as never;

  const planOf = async (name: string, extra: Record<string, unknown>) =>
    (
      await sys.ok(
        `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
        { i: { libraryId: lib, name, duration: 'MONTHLY', price: 0, seatKind: 'RESERVED', ...extra } },
        { token: t.ownerToken },
      )
    ).createFeePlan.id as string;
  const assign = async (student: string, planId: string) =>
    (
      await sys.ok(
        `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id startDate endDate } }`,
        { i: { studentId: student, planId, startDate: '2030-12-01', idempotencyKey: `assign-${student}` } },
        { token: t.ownerToken },
      )
    ).assignFeePlan as { id: string; startDate: string; endDate: string };

  beforeAll(async () => {
    t = await sys.createTenant('sh-member', FIVE_LIBRARIES);
    lib = await createLibrary(t, 'Member Hall', 5);
    otherLib = await createLibrary(t, 'Other Hall', 5);
    s1 = await createStudent(t, lib, 'Member One');
    s2 = await createStudent(t, lib, 'Member Two');
    evening = (await shiftsOf(t, lib)).find((x) => x.name === 'Evening')!.id;
    const eveningPlan = await planOf('Evening reserved', { shiftId: evening });
    const anyShift = await planOf('Any shift reserved', {});
    const anySeat = await planOf('Any seat', { seatKind: 'ANY' });
    const evening1 = await assign(s1, eveningPlan);
    // A calendar month: the period the bookings below must lie within.
    expect(evening1).toMatchObject({ startDate: '2030-12-01', endDate: '2030-12-31' });
    m.evening = { id: evening1.id, student: s1 };
    const frozen = await createStudent(t, lib, 'Member Frozen');
    m.frozen = { id: (await assign(frozen, eveningPlan)).id, student: frozen };
    await sys.ok(
      `mutation($m: ID!) { freezeMembership(membershipId: $m, days: 10, idempotencyKey: "freeze-once") { status } }`,
      { m: m.frozen.id },
      { token: t.ownerToken },
    );
    const free = await createStudent(t, lib, 'Member Free');
    m.free = { id: (await assign(free, anyShift)).id, student: free };
    const any = await createStudent(t, lib, 'Member Any');
    m.any = { id: (await assign(any, anySeat)).id, student: any };
  });

  const book = (i: Record<string, unknown>) =>
    sys.gql(BOOKING, { i: { libraryId: lib, kind: 'MONTHLY', studentId: s1, seatNumber: 1, ...i } }, { token: t.ownerToken });

  it('reads a membership date as a calendar day in India, a YYYY-MM-DD as is', () => {
    expect(membershipDay('2030-12-01')).toBe('2030-12-01');
    expect(membershipDay('2030-12-31T18:30:00.000Z')).toBe('2031-01-01');
    expect(membershipDay('2031-01-31T18:29:59.000Z')).toBe('2031-01-31');
    expect(membershipDay('soon')).toBeNull();
  });

  it("books the membership's shift within its dates and refuses what does not match, writing nothing", async () => {
    const before = { bookings: await count(t, 'bookings'), claims: await count(t, 'seat_claims') };
    const refusals: [Record<string, unknown>, string, RegExp][] = [
      [{ membershipId: m.evening.id, studentId: s2 }, 'BAD_USER_INPUT', /another student/],
      [{ membershipId: m.evening.id, libraryId: otherLib }, 'BAD_USER_INPUT', /another library/],
      [{ membershipId: m.frozen.id, studentId: m.frozen.student, date: '2030-12-01' }, 'CONFLICT', /FROZEN/],
      [{ membershipId: m.evening.id, date: '2030-11-25', endDate: '2030-12-05' }, 'CONFLICT', /within the membership \(2030-12-01 to 2030-12-31\)/],
      [{ membershipId: m.evening.id, date: '2030-12-20', endDate: '2031-01-05' }, 'CONFLICT', /within the membership/],
      [{ membershipId: m.evening.id, date: '2030-12-01', shiftId: (await shiftsOf(t, lib))[0].id }, 'BAD_USER_INPUT', /membership's shift/],
      [{ membershipId: m.evening.id, date: '2030-12-01', slot: 'MORNING' }, 'BAD_USER_INPUT', /membership is for the shift "Evening"/],
      [{ membershipId: new Types.ObjectId().toHexString(), date: '2030-12-01' }, 'BAD_USER_INPUT', /no such membership/],
      [{ membershipId: 'bad', date: '2030-12-01' }, 'BAD_USER_INPUT', /valid id/],
      [{ membershipId: m.evening.id, kind: 'HOURLY', date: '2030-12-01', fromHour: 8, toHour: 9 }, 'BAD_USER_INPUT', /DAILY or MONTHLY/],
      [{ membershipId: m.any.id, studentId: m.any.student, date: '2030-12-01', endDate: '2030-12-15' }, 'BAD_USER_INPUT', /seatKind ANY/],
    ];
    for (const [patch, want, text] of refusals) {
      const res = await book({ date: '2030-12-01', ...patch });
      expect([code(res), message(res), patch]).toEqual([want, expect.stringMatching(text), patch]);
    }
    expect(await count(t, 'bookings')).toBe(before.bookings);
    expect(await count(t, 'seat_claims')).toBe(before.claims);

    const monthly = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'MONTHLY', studentId: s1, seatNumber: 1, date: '2030-12-01', endDate: '2030-12-15', membershipId: m.evening.id } },
      { token: t.ownerToken },
    );
    expect(monthly.createBooking).toMatchObject({
      kind: 'MONTHLY',
      slot: 'EVENING',
      fromHour: 14,
      toHour: 22,
      membership: { id: m.evening.id },
      shift: { id: evening },
    });
    const daily = await sys.ok(
      `mutation($i: BookSeatInput!) { bookSeat(input: $i) { kind shift { id } membership { id } } }`,
      { i: { studentId: s1, libraryId: lib, seatNumber: 2, date: '2030-12-20', membershipId: m.evening.id } },
      { token: t.ownerToken },
    );
    expect(daily.bookSeat).toEqual({ kind: 'DAILY', shift: { id: evening }, membership: { id: m.evening.id } });
    // A membership without a shift: the booking's own shift or slot.
    const free = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'DAILY', studentId: m.free.student, seatNumber: 3, date: '2030-12-21', slot: 'MORNING', membershipId: m.free.id } },
      { token: t.ownerToken },
    );
    expect(free.createBooking).toMatchObject({ slot: 'MORNING', membership: { id: m.free.id } });
    // A plan without a reserved seat (ANY): a free seat a day at a time.
    const anySeat = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'DAILY', studentId: m.any.student, seatNumber: 4, date: '2030-12-22', membershipId: m.any.id } },
      { token: t.ownerToken },
    );
    expect(anySeat.createBooking).toMatchObject({ kind: 'DAILY', membership: { id: m.any.id } });
    const stored = await tenantDb(t).collection('bookings').findOne({ seatNumber: 1, date: '2030-12-01' });
    expect(String(stored!.membershipId)).toBe(m.evening.id);
    expect(String(stored!.shiftId)).toBe(evening);
    // Its shift retired: the membership cannot book any more.
    await sys.ok(RETIRE_SHIFT, { id: evening }, { token: t.ownerToken });
    expect(code(await book({ membershipId: m.evening.id, seatNumber: 4, date: '2030-12-28', endDate: '2030-12-29' }))).toBe('CONFLICT');
  });
});

describe('migration 003: shifts for tenants from before shifts', () => {
  it('creates the fixed-slot shifts per library, links slot bookings once, and old slot clients keep working', async () => {
    const t = await sys.createTenant('sh-migrate', FIVE_LIBRARIES);
    const lib = await createLibrary(t, 'Old Hall', 6, { openingTime: '07:00', closingTime: '21:00' });
    const quiet = await createLibrary(t, 'Quiet Hall', 6);
    const [a, b, c] = [await createStudent(t, lib, 'Old A'), await createStudent(t, lib, 'Old B'), await createStudent(t, lib, 'Old C')];
    await createStudent(t, quiet, 'Quiet D');
    // Bookings as the old code wrote them: fixed slot hours, no shifts anywhere.
    const old = tenantDb(t).collection('bookings');
    const row = (studentId: string, seatNumber: number, extra: Record<string, unknown>) => ({
      studentId: new Types.ObjectId(studentId),
      libraryId: new Types.ObjectId(lib),
      seatNumber,
      status: 'confirmed',
      slotKey: `legacy:${studentId}:${seatNumber}`,
      studentDayKey: `legacy-s:${studentId}:${seatNumber}`,
      createdAt: new Date(),
      ...extra,
    });
    await old.insertMany([
      row(a, 1, { date: '2030-11-04', endDate: '2030-11-04', kind: 'daily', slot: 'morning', fromHour: 6, toHour: 14 }),
      row(b, 2, { date: '2030-11-04', endDate: '2030-11-10', kind: 'monthly', slot: 'evening', fromHour: 14, toHour: 22 }),
      row(c, 3, { date: '2030-11-05' }),
      row(a, 4, { date: '2030-11-06', endDate: '2030-11-06', kind: 'hourly', slot: null, fromHour: 8, toHour: 10 }),
    ]);
    expect(await count(t, 'shifts')).toBe(0);

    const dry = await migrate(sys.db, { migrations: [shiftsForSlotBookings], slug: 'sh-migrate', dryRun: true });
    expect(dry.results[0].pending).toEqual([{ id: '003-shifts-for-slot-bookings', wouldChange: 3 }]);
    expect(await count(t, 'shifts')).toBe(0);
    const run = await migrate(sys.db, { migrations: [shiftsForSlotBookings], slug: 'sh-migrate' });
    expect(run.results[0]).toMatchObject({ applied: [{ id: '003-shifts-for-slot-bookings', changed: 3 }] });
    expect(run.failed).toBe(0);

    // Both libraries have the fixed slots as shifts (the old hours, even outside Old Hall's 07:00-21:00).
    for (const l of [lib, quiet]) {
      expect((await shiftsOf(t, l)).map((x) => [x.name, x.startTime, x.endTime, x.slot])).toEqual([
        ['Full day', '06:00', '22:00', 'FULL_DAY'],
        ['Morning', '06:00', '14:00', 'MORNING'],
        ['Evening', '14:00', '22:00', 'EVENING'],
      ]);
    }
    const list = await sys.ok(`query($l: ID!) { bookings(libraryId: $l) { seatNumber kind slot shift { name } } }`, { l: lib }, { token: t.ownerToken });
    const bySeat = Object.fromEntries(list.bookings.map((x: { seatNumber: number }) => [x.seatNumber, x]));
    expect(bySeat[1]).toMatchObject({ kind: 'DAILY', slot: 'MORNING', shift: { name: 'Morning' } });
    expect(bySeat[2]).toMatchObject({ kind: 'MONTHLY', slot: 'EVENING', shift: { name: 'Evening' } });
    expect(bySeat[3]).toMatchObject({ kind: 'DAILY', slot: 'FULL_DAY', shift: { name: 'Full day' } });
    expect(bySeat[4]).toMatchObject({ kind: 'HOURLY', shift: null });

    // Recorded once: a second run applies nothing, and re-running the step itself changes nothing.
    expect((await migrate(sys.db, { migrations: [shiftsForSlotBookings], slug: 'sh-migrate' })).applied).toBe(0);
    expect(await shiftsForSlotBookings.up(tenantDb(t))).toBe(0);
    expect(await count(t, 'shifts')).toBe(6);
    // Old clients: the slot books the migrated shift.
    const morning = (await shiftsOf(t, lib)).find((x) => x.name === 'Morning')!.id;
    const again = await sys.ok(
      BOOKING,
      { i: { libraryId: lib, kind: 'DAILY', studentId: b, seatNumber: 5, date: '2030-11-12', slot: 'MORNING' } },
      { token: t.ownerToken },
    );
    expect(again.createBooking).toMatchObject({ slot: 'MORNING', fromHour: 6, toHour: 14, shift: { id: morning } });
  });
});
