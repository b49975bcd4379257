import { type GqlResult, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const count = (t: TestTenant, collection: string, filter: Record<string, unknown> = {}) => tenantDb(t).collection(collection).countDocuments(filter);

const CREATE = `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id name } }`;
const SEATS = `query($l: ID!) { seats(libraryId: $l) { id number label zone features } }`;
const CONFIGURE = `mutation($l: ID!, $s: [SeatInput!]!, $r: Boolean) { configureSeats(libraryId: $l, seats: $s, removeOthers: $r) { number label zone features } }`;
const AVAIL = `query($l: ID!, $d: String!, $s: TimeSlot!) { seatAvailability(libraryId: $l, date: $d, slot: $s) { seat { number } free bookingIds } }`;
const ASSIGN = `mutation($i: AssignSeatsInput!) { assignSeats(input: $i) { row studentId seatNumber status message booking { id kind slot date endDate student { id } } } }`;
const BOOKING = `mutation($i: CreateBookingInput!) { createBooking(input: $i) { id kind slot date endDate fromHour toHour seatNumber status } }`;
const BOOK = `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id kind slot fromHour toHour } }`;
const CANCEL = `mutation($id: ID!) { cancelBooking(id: $id) { id status } }`;

async function createLibrary(t: TestTenant, name: string, capacity: number, token = t.ownerToken): Promise<string> {
  const data = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity } }, { token });
  return data.createLibrary.id;
}

let phoneSeq = 8000000000;
async function createStudent(t: TestTenant, libraryId: string, name: string, extra: Record<string, unknown> = {}) {
  const data = await sys.ok(CREATE, { i: { name, phone: `+91${phoneSeq++}`, libraryId, ...extra } }, { token: t.ownerToken });
  return data.createStudent as { id: string; name: string };
}

const TWO_LIBRARIES = { limits: { maxLibraries: 2, maxStudents: 50, maxStaff: 5 } };

describe('library status', () => {
  it('refuses students and bookings for a library that is not ACTIVE (CONFLICT), writing nothing', async () => {
    const t = await sys.createTenant('sf-status', TWO_LIBRARIES);
    const active = await createLibrary(t, 'Open', 5);
    const s = await createStudent(t, active, 'Ann');
    // A manager's new library waits for approval.
    const manager = await sys.userToken(t, 'manager');
    const pending = await createLibrary(t, 'Pending', 5, manager);
    const create = await sys.gql(CREATE, { i: { name: 'Bo', phone: '9876543000', libraryId: pending } }, { token: t.ownerToken });
    expect([code(create), create.errors?.[0].extensions?.field]).toEqual(['CONFLICT', 'input.libraryId']);
    const book = await sys.gql(BOOK, { i: { studentId: s.id, libraryId: pending, seatNumber: 1, date: '2030-06-01' } }, { token: t.ownerToken });
    expect(code(book)).toBe('CONFLICT');
    // Suspending the active one stops bookings there too.
    await sys.ok(`mutation($id: ID!) { suspendLibrary(id: $id, reason: "audit") { status } }`, { id: active }, { token: t.ownerToken });
    expect(code(await sys.gql(BOOK, { i: { studentId: s.id, libraryId: active, seatNumber: 1, date: '2030-06-01' } }, { token: t.ownerToken }))).toBe(
      'CONFLICT',
    );
    expect(await count(t, 'students')).toBe(1);
    expect(await count(t, 'bookings')).toBe(0);
    expect(await count(t, 'seat_claims')).toBe(0);
  });
});

describe('seat maps and availability', () => {
  it('configures seats idempotently within capacity and reports availability per slot', async () => {
    const t = await sys.createTenant('sf-seats');
    const lib = await createLibrary(t, 'Map', 4);
    // Without a map: seats 1..capacity.
    expect((await sys.ok(SEATS, { l: lib }, { token: t.ownerToken })).seats.map((s: { number: number }) => s.number)).toEqual([1, 2, 3, 4]);

    const seats = [{ number: 1, label: 'A1', zone: 'Window', features: ['window', 'power'] }, { number: 2, label: 'A2', zone: 'Window' }, { number: 3 }];
    const first = (await sys.ok(CONFIGURE, { l: lib, s: seats }, { token: t.ownerToken })).configureSeats;
    const again = (await sys.ok(CONFIGURE, { l: lib, s: seats }, { token: t.ownerToken })).configureSeats;
    expect(again).toEqual(first);
    expect(first).toEqual([
      { number: 1, label: 'A1', zone: 'Window', features: ['window', 'power'] },
      { number: 2, label: 'A2', zone: 'Window', features: [] },
      { number: 3, label: '3', zone: null, features: [] },
    ]);
    expect(await count(t, 'seats')).toBe(3);
    // Extends: seat 4 added, others kept; removeOthers replaces.
    await sys.ok(CONFIGURE, { l: lib, s: [{ number: 4, label: 'B4' }] }, { token: t.ownerToken });
    expect(await count(t, 'seats')).toBe(4);

    // Seat 4 is only in the map until removeOthers drops it; a seat outside the map cannot be booked.
    await sys.ok(CONFIGURE, { l: lib, s: seats, r: true }, { token: t.ownerToken });
    expect(await count(t, 'seats')).toBe(3);
    const s = await createStudent(t, lib, 'Dev');
    expect(
      code(await sys.gql(BOOKING, { i: { studentId: s.id, libraryId: lib, seatNumber: 4, date: '2030-07-01', kind: 'DAILY' } }, { token: t.ownerToken })),
    ).toBe('BAD_USER_INPUT');

    const morning = (
      await sys.ok(
        BOOKING,
        {
          i: { studentId: s.id, libraryId: lib, seatNumber: 2, date: '2030-07-01', kind: 'DAILY', slot: 'MORNING' },
        },
        { token: t.ownerToken },
      )
    ).createBooking;
    expect(morning).toMatchObject({ kind: 'DAILY', slot: 'MORNING', fromHour: 6, toHour: 14, date: '2030-07-01', endDate: '2030-07-01' });
    const avail = async (slot: string) => (await sys.ok(AVAIL, { l: lib, d: '2030-07-01', s: slot }, { token: t.ownerToken })).seatAvailability;
    expect(await avail('MORNING')).toEqual([
      { seat: { number: 1 }, free: true, bookingIds: [] },
      { seat: { number: 2 }, free: false, bookingIds: [morning.id] },
      { seat: { number: 3 }, free: true, bookingIds: [] },
    ]);
    expect((await avail('EVENING')).every((a: { free: boolean }) => a.free)).toBe(true);
    expect((await avail('FULL_DAY'))[1].free).toBe(false);
  });

  it('rejects bad seat maps without writing; staff may not configure seats', async () => {
    const t = await sys.createTenant('sf-seats-bad');
    const lib = await createLibrary(t, 'Small', 2);
    const opts = { token: t.ownerToken };
    const cases: [unknown[], string][] = [
      [[{ number: 1 }, { number: 2 }, { number: 3 }], 'seats'],
      [[{ number: 3 }], 'seats.0.number'],
      [[{ number: 1 }, { number: 1 }], 'seats.1.number'],
    ];
    for (const [s, field] of cases) {
      const res = await sys.gql(CONFIGURE, { l: lib, s }, opts);
      expect([code(res), res.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    expect(code(await sys.gql(CONFIGURE, { l: lib, s: [{ number: 1, label: 'x'.repeat(31) }] }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CONFIGURE, { l: 'nope', s: [{ number: 1 }] }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(AVAIL, { l: lib, d: '2030-02-30', s: 'MORNING' }, opts))).toBe('BAD_USER_INPUT');
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(CONFIGURE, { l: lib, s: [{ number: 1 }] }, { token: staff }))).toBe('FORBIDDEN');
    // Staff can read the map and availability.
    expect((await sys.ok(SEATS, { l: lib }, { token: staff })).seats).toHaveLength(2);
    expect(await count(t, 'seats')).toBe(0);
  });

  it('assigns seats in bulk with a per-row result, each row whole or not at all', async () => {
    const t = await sys.createTenant('sf-assign');
    const lib = await createLibrary(t, 'Bulk', 3);
    const [a, b, c, d] = [
      await createStudent(t, lib, 'A'),
      await createStudent(t, lib, 'B'),
      await createStudent(t, lib, 'C'),
      await createStudent(t, lib, 'D'),
    ];
    // d holds seat 3 in the evening on the second day.
    await sys.ok(
      BOOKING,
      { i: { studentId: d.id, libraryId: lib, seatNumber: 3, date: '2030-08-02', kind: 'HOURLY', fromHour: 18, toHour: 20 } },
      { token: t.ownerToken },
    );
    const staff = await sys.userToken(t, 'staff');
    const res = (
      await sys.ok(
        ASSIGN,
        {
          i: {
            libraryId: lib,
            fromDate: '2030-08-01',
            toDate: '2030-08-03',
            slot: 'FULL_DAY',
            assignments: [
              { studentId: a.id, seatNumber: 1 },
              { studentId: b.id, seatNumber: 1 }, // seat taken by row 1
              { studentId: c.id, seatNumber: 3 }, // overlaps d's hours on 08-02
              { studentId: 'bad', seatNumber: 2 },
              { studentId: c.id, seatNumber: 9 },
              { studentId: '0123456789abcdef01234567', seatNumber: 2 },
              { studentId: b.id, seatNumber: 2 },
            ],
          },
        },
        { token: staff },
      )
    ).assignSeats;
    expect(res.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [1, 'ASSIGNED'],
      [2, 'CONFLICT'],
      [3, 'CONFLICT'],
      [4, 'INVALID'],
      [5, 'INVALID'],
      [6, 'INVALID'],
      [7, 'ASSIGNED'],
    ]);
    expect(res[0].booking).toMatchObject({ kind: 'MONTHLY', slot: 'FULL_DAY', date: '2030-08-01', endDate: '2030-08-03', student: { id: a.id } });
    expect(res[3].message).toMatch(/studentId/);
    expect(res[4].message).toMatch(/seatNumber/);
    // 3 bookings: d's, row 1, row 7; the conflicting row 3 left no claims behind (c holds nothing).
    expect(await count(t, 'bookings')).toBe(3);
    expect(await count(t, 'seat_claims', { _id: { $regex: `^student:${c.id}` } })).toBe(0);
    expect(await count(t, 'seat_claims')).toBe(2 * 2 + 2 * 3 * 16 * 2);

    // Call-level bad input: nothing written.
    const bad = await sys.gql(
      ASSIGN,
      { i: { libraryId: lib, fromDate: '2030-08-01', toDate: '2030-10-01', slot: 'MORNING', assignments: [{ studentId: c.id, seatNumber: 2 }] } },
      { token: staff },
    );
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(await count(t, 'bookings')).toBe(3);
  });
});

describe('bookings: hourly, daily, monthly without overlaps', () => {
  it('two concurrent overlapping bookings of one seat: exactly one wins, the loser leaves no claims', async () => {
    const t = await sys.createTenant('sf-race');
    const lib = await createLibrary(t, 'Race', 5);
    const [a, b] = [await createStudent(t, lib, 'A'), await createStudent(t, lib, 'B')];
    for (let round = 0; round < 5; round++) {
      const date = `2030-09-1${round}`;
      const [r1, r2] = await Promise.all([
        sys.gql(BOOKING, { i: { studentId: a.id, libraryId: lib, seatNumber: 1, date, kind: 'HOURLY', fromHour: 8, toHour: 12 } }, { token: t.ownerToken }),
        sys.gql(BOOKING, { i: { studentId: b.id, libraryId: lib, seatNumber: 1, date, kind: 'DAILY', slot: 'MORNING' } }, { token: t.ownerToken }),
      ]);
      const winners = [r1, r2].filter((r) => !r.errors);
      expect(winners).toHaveLength(1);
      expect([r1, r2].filter((r) => code(r) === 'CONFLICT')).toHaveLength(1);
      const won = winners[0].data.createBooking;
      expect(await count(t, 'seat_claims', { date })).toBe(won.kind === 'HOURLY' ? 8 : 16);
    }
    expect(await count(t, 'bookings')).toBe(5);
  });

  it('hourly bookings that do not overlap share a seat; monthly spans a month; cancel frees the hours', async () => {
    const t = await sys.createTenant('sf-kinds');
    const lib = await createLibrary(t, 'Kinds', 5);
    const [a, b, c] = [await createStudent(t, lib, 'A'), await createStudent(t, lib, 'B'), await createStudent(t, lib, 'C')];
    const opts = { token: t.ownerToken };
    const hourly = (s: string, fromHour: number, toHour: number) =>
      sys.gql(BOOKING, { i: { studentId: s, libraryId: lib, seatNumber: 2, date: '2030-10-01', kind: 'HOURLY', fromHour, toHour } }, opts);
    expect((await hourly(a.id, 6, 9)).errors).toBeUndefined();
    expect((await hourly(b.id, 9, 12)).errors).toBeUndefined(); // touches, does not overlap
    expect(code(await hourly(c.id, 11, 13))).toBe('CONFLICT');
    // The student cannot be on two seats at once either.
    const twoSeats = await sys.gql(
      BOOKING,
      { i: { studentId: a.id, libraryId: lib, seatNumber: 3, date: '2030-10-01', kind: 'DAILY', slot: 'MORNING' } },
      opts,
    );
    expect([code(twoSeats), twoSeats.errors?.[0].extensions?.field]).toEqual(['CONFLICT', 'input.date']);

    const monthly = (
      await sys.ok(BOOKING, { i: { studentId: c.id, libraryId: lib, seatNumber: 4, date: '2030-01-15', kind: 'MONTHLY', slot: 'EVENING' } }, opts)
    ).createBooking;
    expect(monthly).toMatchObject({ kind: 'MONTHLY', slot: 'EVENING', date: '2030-01-15', endDate: '2030-02-14', fromHour: 14, toHour: 22 });
    expect(code(await sys.gql(BOOK, { i: { studentId: a.id, libraryId: lib, seatNumber: 4, date: '2030-02-01' } }, opts))).toBe('CONFLICT');
    // The legacy bookSeat is a DAILY FULL_DAY booking.
    const legacy = (await sys.ok(BOOK, { i: { studentId: a.id, libraryId: lib, seatNumber: 5, date: '2030-02-01' } }, opts)).bookSeat;
    expect(legacy).toMatchObject({ kind: 'DAILY', slot: 'FULL_DAY', fromHour: 6, toHour: 22 });

    await sys.ok(CANCEL, { id: monthly.id }, opts);
    expect(await count(t, 'seat_claims', { bookingId: { $exists: true }, seatNumber: 4 })).toBe(0);
    await sys.ok(BOOK, { i: { studentId: b.id, libraryId: lib, seatNumber: 4, date: '2030-02-01' } }, opts);
  });

  it('rejects bad bookings without writing; tenant B cannot book with tenant A ids', async () => {
    const a = await sys.createTenant('sf-book-a');
    const b = await sys.createTenant('sf-book-b');
    const lib = await createLibrary(a, 'A', 5);
    const s = await createStudent(a, lib, 'S');
    const base = { studentId: s.id, libraryId: lib, seatNumber: 1, date: '2030-11-01' };
    const cases: Record<string, unknown>[] = [
      { kind: 'HOURLY' },
      { kind: 'HOURLY', fromHour: 10, toHour: 10 },
      { kind: 'HOURLY', fromHour: 5, toHour: 8 },
      { kind: 'HOURLY', fromHour: 20, toHour: 23 },
      { kind: 'MONTHLY', endDate: '2030-12-15' },
      { kind: 'MONTHLY', endDate: '2030-10-01' },
      { kind: 'DAILY', date: '2030-13-01' },
      { kind: 'DAILY', seatNumber: 6 },
      { kind: 'WEEKLY' },
    ];
    for (const patch of cases) {
      expect([patch, code(await sys.gql(BOOKING, { i: { ...base, ...patch } }, { token: a.ownerToken }))]).toEqual([patch, 'BAD_USER_INPUT']);
    }
    const libB = await createLibrary(b, 'B', 5);
    expect(code(await sys.gql(BOOKING, { i: { ...base, libraryId: libB, kind: 'DAILY' } }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    const sB = await createStudent(b, libB, 'SB');
    expect(code(await sys.gql(BOOKING, { i: { ...base, studentId: sB.id, kind: 'DAILY' } }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(AVAIL, { l: lib, d: '2030-11-01', s: 'MORNING' }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(SEATS, { l: lib }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    for (const t of [a, b]) {
      expect(await count(t, 'bookings')).toBe(0);
      expect(await count(t, 'seat_claims')).toBe(0);
    }
  });
});

const IMPORT = `mutation($csv: String!, $dry: Boolean) { importStudents(csv: $csv, dryRun: $dry) {
  dryRun total imported duplicates invalid limitExceeded rows { row line status name studentId issues { field message } } } }`;
const exportUrl = (query = '') => sys.subgraphUrls.student.replace(/\/graphql$/, `/exports/students.csv${query}`);

describe('CSV import and export', () => {
  it('imports valid rows, reports invalid ones per field, is idempotent and respects maxStudents', async () => {
    const t = await sys.createTenant('sf-import', { limits: { maxLibraries: 2, maxStudents: 4, maxStaff: 5 } });
    const lib = await createLibrary(t, 'Main Hall', 10);
    const manager = await sys.userToken(t, 'manager');
    await createLibrary(t, 'Waiting', 10, manager); // PENDING_APPROVAL
    const csv = [
      'Name,Phone,Parent Phone,Email,Library,ID Proof Type,ID Proof Number',
      'Asha Rao,+919800000001,,asha@example.com,main hall,Aadhaar,1234',
      '"Rao, Bala",9800000002,9800000099,,Main Hall,,',
      'Bad Phone,12ab,,,Main Hall,,',
      ',9800000004,,not-an-email,Main Hall,,',
      'Nowhere,9800000005,,,Unknown Library,,',
      'Pending,9800000006,,,Waiting,,',
      'Asha Rao,+919800000001,,,Main Hall,,',
      'Chitra,9800000007,,,Main Hall,,',
      'Dev,9800000008,,,Main Hall,,',
      'Esha,9800000009,,,Main Hall,,',
    ].join('\n');

    const dry = (await sys.ok(IMPORT, { csv, dry: true }, { token: manager })).importStudents;
    expect(dry).toMatchObject({ dryRun: true, total: 10, imported: 4, duplicates: 1, invalid: 4, limitExceeded: 1 });
    expect(await count(t, 'students')).toBe(0);

    const report = (await sys.ok(IMPORT, { csv }, { token: manager })).importStudents;
    expect(report.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [1, 'IMPORTED'],
      [2, 'IMPORTED'],
      [3, 'INVALID'],
      [4, 'INVALID'],
      [5, 'INVALID'],
      [6, 'INVALID'],
      [7, 'DUPLICATE'],
      [8, 'IMPORTED'],
      [9, 'IMPORTED'],
      [10, 'LIMIT_EXCEEDED'],
    ]);
    const issues = (row: number) => report.rows[row - 1].issues.map((i: { field: string }) => i.field).sort();
    expect(issues(3)).toEqual(['phone']);
    expect(issues(4)).toEqual(['email', 'name']);
    expect(issues(5)).toEqual(['library']);
    expect(report.rows[5].issues[0].message).toMatch(/not active/);
    expect(report.rows[6].studentId).toBe(report.rows[0].studentId);
    expect(await count(t, 'students')).toBe(4);
    const bala = await tenantDb(t).collection('students').findOne({ phone: '9800000002' });
    expect(bala).toMatchObject({ name: 'Rao, Bala', parentPhone: '9800000099', status: 'active' });
    expect(await tenantDb(t).collection('students').findOne({ phone: '+919800000001' })).toMatchObject({
      email: 'asha@example.com',
      // Sealed at rest (id-proof.service.ts): no plaintext number.
      idProof: { type: 'Aadhaar', sealed: expect.stringMatching(/^v1\./), tail: '34' },
    });

    // Re-run: nothing new; the already-imported rows are DUPLICATE, the plan is full.
    const again = (await sys.ok(IMPORT, { csv }, { token: manager })).importStudents;
    expect(again).toMatchObject({ imported: 0, duplicates: 5, invalid: 4, limitExceeded: 1 });
    expect(await count(t, 'students')).toBe(4);
    expect(await count(t, 'student_quotas')).toBe(4);
    void lib;
  });

  it('concurrent imports of the same file create each student once', async () => {
    const t = await sys.createTenant('sf-import-race');
    await createLibrary(t, 'Race', 10);
    const csv = ['name,phone,library', 'A,9811111111,Race', 'B,9811111112,Race', 'C,9811111113,Race'].join('\n');
    const reports = await Promise.all([1, 2, 3].map(() => sys.ok(IMPORT, { csv }, { token: t.ownerToken })));
    expect(reports.reduce((n, r) => n + r.importStudents.imported, 0)).toBe(3);
    expect(await count(t, 'students')).toBe(3);
    expect(await count(t, 'student_keys')).toBe(3);
  });

  it('refuses malformed CSV and staff, writing nothing', async () => {
    const t = await sys.createTenant('sf-import-bad');
    await createLibrary(t, 'L', 10);
    const opts = { token: t.ownerToken };
    for (const csv of ['name,phone,library\n"unclosed,9800000000,L', 'name,email\nA,a@b.c', 'name,phone\nA,9800000000', 'name,phone,library\nA,9800000000']) {
      const res = await sys.gql(IMPORT, { csv }, opts);
      expect([csv, code(res), res.errors?.[0].extensions?.field]).toEqual([csv, 'BAD_USER_INPUT', 'csv']);
    }
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(IMPORT, { csv: 'name,phone,library\nA,9800000000,L' }, { token: staff }))).toBe('FORBIDDEN');
    expect(await count(t, 'students')).toBe(0);
    expect(await count(t, 'student_keys')).toBe(0);
  });

  it('exports CSV with escaping and formula neutralisation; needs students:read; tenant-scoped', async () => {
    const a = await sys.createTenant('sf-export-a');
    const b = await sys.createTenant('sf-export-b');
    const lib = await createLibrary(a, 'Ex', 10);
    await createStudent(a, lib, '=HYPERLINK("http://evil")', { email: 'x@example.com' });
    await createStudent(a, lib, 'Rao, "Bala"');
    await createStudent(b, await createLibrary(b, 'Other', 5), 'Other Tenant');

    const res = await fetch(exportUrl(), { headers: { authorization: `Bearer ${a.ownerToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('id,name,phone,parentPhone,email,status,libraryId,joinedAt');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"Rao, ""Bala""",'+91`);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")",'+91`);
    expect(lines.join('\n')).not.toContain('Other Tenant');

    const asB = await (await fetch(exportUrl(), { headers: { authorization: `Bearer ${b.ownerToken}` } })).text();
    expect(asB).toContain('Other Tenant');
    expect(asB).not.toContain('HYPERLINK');

    const staff = await sys.userToken(a, 'staff');
    expect((await fetch(exportUrl(), { headers: { authorization: `Bearer ${staff}` } })).status).toBe(403);
    expect((await fetch(exportUrl())).status).toBe(401);
    expect((await fetch(exportUrl(), { headers: { authorization: 'Bearer forged' } })).status).toBe(401);
    expect((await fetch(exportUrl('?libraryId=nope'), { headers: { authorization: `Bearer ${a.ownerToken}` } })).status).toBe(400);
    const manager = await sys.userToken(a, 'manager');
    const filtered = await (await fetch(exportUrl(`?libraryId=${lib}`), { headers: { authorization: `Bearer ${manager}` } })).text();
    expect(filtered.trim().split('\n')).toHaveLength(3);
  });
});
