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

const STUDENT_FIELDS = `id name email phone parentPhone idProof { type number } status checkedIn joinedAt createdAt library { id }`;
const CREATE = `mutation($i: CreateStudentInput!) { createStudent(input: $i) { ${STUDENT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: UpdateStudentInput!) { updateStudent(id: $id, input: $i) { ${STUDENT_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteStudent(id: $id) }`;
const GET = `query($id: ID!) { student(id: $id) { ${STUDENT_FIELDS} } }`;
const LIST = `query($f: StudentFilter, $first: Int, $after: String) {
  students(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status } } }
}`;
const BOOK = `mutation($i: BookSeatInput!) { bookSeat(input: $i) { id seatNumber date status student { id name } library { id } } }`;
const CANCEL = `mutation($id: ID!) { cancelBooking(id: $id) { id status } }`;
const CHECK_IN = `mutation($s: ID!) { checkIn(studentId: $s) { id checkInAt checkOutAt student { id } library { id } } }`;
const CHECK_OUT = `mutation($s: ID!) { checkOut(studentId: $s) { id checkInAt checkOutAt } }`;

async function createLibrary(t: TestTenant, name: string, capacity: number): Promise<string> {
  const data = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity } }, { token: t.ownerToken });
  return data.createLibrary.id;
}

// The free plan allows one library; these tenants need two.
const TWO_LIBRARIES = { limits: { maxLibraries: 2, maxStudents: 50, maxStaff: 3 } };

let phoneSeq = 9000000000;
async function createStudent(t: TestTenant, libraryId: string, name: string, extra: Record<string, unknown> = {}) {
  const data = await sys.ok(CREATE, { i: { name, phone: `+91${phoneSeq++}`, libraryId, ...extra } }, { token: t.ownerToken });
  return data.createStudent as { id: string; name: string };
}

describe('students: CRUD, search and pagination', () => {
  it('creates, reads, updates and deletes a student', async () => {
    const t = await sys.createTenant('stu-crud');
    const lib = await createLibrary(t, 'Central', 20);
    const input = {
      name: 'Asha Rao',
      phone: '+919876543210',
      parentPhone: '9876500000',
      email: 'Asha@Example.com',
      libraryId: lib,
      idProof: { type: 'Aadhaar', number: '1234-5678-9012' },
    };
    const created = (await sys.ok(CREATE, { i: input }, { token: t.ownerToken })).createStudent;
    expect(created).toMatchObject({
      name: 'Asha Rao',
      phone: '+919876543210',
      parentPhone: '9876500000',
      email: 'asha@example.com',
      // Masked in reads: the full number only through revealIdProofNumber (tests/files.test.ts).
      idProof: { type: 'Aadhaar', number: 'XXXXXXXX9012' },
      status: 'ACTIVE',
      checkedIn: false,
      library: { id: lib },
    });
    expect((await sys.ok(GET, { id: created.id }, { token: t.ownerToken })).student).toEqual(created);

    const updated = (await sys.ok(UPDATE, { id: created.id, i: { name: 'Asha R.', status: 'INACTIVE' } }, { token: t.ownerToken })).updateStudent;
    expect(updated).toMatchObject({ name: 'Asha R.', status: 'INACTIVE', phone: '+919876543210' });
    expect(await tenantDb(t).collection('students').findOne({ name: 'Asha R.' })).toMatchObject({ status: 'inactive', nameLower: 'asha r.' });

    // Moving to a library that does not exist in this tenant changes nothing.
    const missingLib = await sys.gql(UPDATE, { id: created.id, i: { libraryId: '0123456789abcdef01234567' } }, { token: t.ownerToken });
    expect(code(missingLib)).toBe('NOT_FOUND');

    expect((await sys.ok(DELETE, { id: created.id }, { token: t.ownerToken })).deleteStudent).toBe(true);
    expect((await sys.ok(GET, { id: created.id }, { token: t.ownerToken })).student).toBeNull();
    expect(code(await sys.gql(DELETE, { id: created.id }, { token: t.ownerToken }))).toBe('NOT_FOUND');
    expect(await count(t, 'students')).toBe(0);
  });

  it('refuses a library that does not exist in the tenant, writing nothing', async () => {
    const t = await sys.createTenant('stu-nolib');
    const res = await sys.gql(CREATE, { i: { name: 'X', phone: '9999999999', libraryId: '0123456789abcdef01234567' } }, { token: t.ownerToken });
    expect(code(res)).toBe('NOT_FOUND');
    expect(await count(t, 'students')).toBe(0);
  });

  it('filters by library, status and case-insensitive name prefix (regex-escaped)', async () => {
    const t = await sys.createTenant('stu-search', TWO_LIBRARIES);
    const [l1, l2] = [await createLibrary(t, 'North', 10), await createLibrary(t, 'South', 10)];
    for (const name of ['Alice', 'alina', 'Bob', 'Carol']) await createStudent(t, l1, name);
    const dave = await createStudent(t, l2, 'Dave');
    await createStudent(t, l2, 'A.lex');
    await sys.ok(UPDATE, { id: dave.id, i: { status: 'LEFT' } }, { token: t.ownerToken });
    const names = async (f: Record<string, unknown>) =>
      ((await sys.ok(LIST, { f }, { token: t.ownerToken })).students.edges as { node: { name: string } }[]).map((e) => e.node.name).sort();

    expect(await names({ search: 'ALI' })).toEqual(['Alice', 'alina']);
    expect(await names({ search: 'a.' })).toEqual(['A.lex']); // '.' is literal, not a wildcard
    expect(await names({ search: '.*' })).toEqual([]);
    expect(await names({ libraryId: l2 })).toEqual(['A.lex', 'Dave']);
    expect(await names({ status: 'LEFT' })).toEqual(['Dave']);
    expect(await names({ libraryId: l1, search: 'b' })).toEqual(['Bob']);
    expect((await sys.ok(LIST, { f: { status: 'ACTIVE' } }, { token: t.ownerToken })).students.totalCount).toBe(5);
  });

  it('paginates newest first across two pages with cursors', async () => {
    const t = await sys.createTenant('stu-pages');
    const lib = await createLibrary(t, 'Main', 10);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createStudent(t, lib, `Student ${i}`)).id);
    const p1 = (await sys.ok(LIST, { first: 4 }, { token: t.ownerToken })).students;
    expect(p1.totalCount).toBe(7);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    expect(p1.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(3).reverse());
    const p2 = (await sys.ok(LIST, { first: 4, after: p1.pageInfo.endCursor }, { token: t.ownerToken })).students;
    expect(p2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(ids.slice(0, 3).reverse());
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect(p2.totalCount).toBe(7);

    for (const first of [0, 201]) expect(code(await sys.gql(LIST, { first }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(LIST, { after: 'garbage' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
  });
});

describe('occupancy and permissions through federation', () => {
  it('joins library name (tenant subgraph) and occupancy (student subgraph) after check-ins', async () => {
    const t = await sys.createTenant('stu-occ', TWO_LIBRARIES);
    const [small, big] = [await createLibrary(t, 'Small Hall', 3), await createLibrary(t, 'Big Hall', 50)];
    const a = await createStudent(t, small, 'Anu');
    const b = await createStudent(t, small, 'Bala');
    await createStudent(t, big, 'Chitra');
    await sys.ok(CHECK_IN, { s: a.id }, { token: t.ownerToken });
    await sys.ok(CHECK_IN, { s: b.id }, { token: t.ownerToken });

    const Q = `{ students { edges { node { name checkedIn library { name occupancy { libraryId occupied free capacity percent } } } } } }`;
    const byName = async () => {
      const edges = (await sys.ok(Q, {}, { token: t.ownerToken })).students.edges as { node: { name: string; library: unknown } }[];
      return Object.fromEntries(edges.map((e) => [e.node.name, e.node])) as Record<string, { library: { occupancy: unknown } }>;
    };
    const nodes = await byName();
    expect(nodes.Anu).toEqual({
      name: 'Anu',
      checkedIn: true,
      library: { name: 'Small Hall', occupancy: { libraryId: small, occupied: 2, free: 1, capacity: 3, percent: 66.7 } },
    });
    expect(nodes.Chitra.library).toEqual({ name: 'Big Hall', occupancy: { libraryId: big, occupied: 0, free: 50, capacity: 50, percent: 0 } });

    const out = (await sys.ok(CHECK_OUT, { s: a.id }, { token: t.ownerToken })).checkOut;
    expect(out.checkOutAt).not.toBeNull();
    expect((await byName()).Bala.library.occupancy).toMatchObject({ occupied: 1, free: 2, percent: 33.3 });
    // Also reachable from the tenant subgraph's own query.
    const lib = await sys.ok(`query($id: ID!) { library(id: $id) { name occupancy { occupied } } }`, { id: small }, { token: t.ownerToken });
    expect(lib.library).toEqual({ name: 'Small Hall', occupancy: { occupied: 1 } });
  });

  it('staff lists names but gets FORBIDDEN on phone and the other contact fields', async () => {
    const t = await sys.createTenant('stu-staff');
    const lib = await createLibrary(t, 'Desk', 10);
    await createStudent(t, lib, 'Meena', { email: 'meena@example.com', idProof: { type: 'PAN', number: 'ABCDE1234F' } });
    const staff = await sys.userToken(t, 'staff');
    const names = await sys.ok(`{ students { totalCount edges { node { name status checkedIn } } } }`, {}, { token: staff });
    expect(names.students).toEqual({ totalCount: 1, edges: [{ node: { name: 'Meena', status: 'ACTIVE', checkedIn: false } }] });

    // Optional contact fields are denied one by one; the rest of the node still arrives.
    const partial = await sys.gql(`{ students { edges { node { name email parentPhone idProof { number } } } } }`, {}, { token: staff });
    expect(partial.data?.students.edges).toEqual([{ node: { name: 'Meena', email: null, parentPhone: null, idProof: null } }]);
    expect(partial.errors?.map((e) => [e.extensions?.code, e.path?.at(-1)]).sort()).toEqual([
      ['FORBIDDEN', 'email'],
      ['FORBIDDEN', 'idProof'],
      ['FORBIDDEN', 'parentPhone'],
    ]);
    // phone is non-null: denying it nulls the result instead of leaking anything.
    const phone = await sys.gql(`{ students { edges { node { name phone } } } }`, {}, { token: staff });
    expect(code(phone)).toBe('FORBIDDEN');
    expect(phone.errors?.[0].path?.at(-1)).toBe('phone');
    expect(JSON.stringify(phone.data ?? null)).not.toMatch(/\+91/);

    const create = await sys.gql(CREATE, { i: { name: 'Nope', phone: '9999999999', libraryId: lib } }, { token: staff });
    expect(code(create)).toBe('FORBIDDEN');
    const manager = await sys.userToken(t, 'manager');
    const first = (await sys.ok(LIST, {}, { token: manager })).students.edges[0].node.id;
    expect(code(await sys.gql(DELETE, { id: first }, { token: manager }))).toBe('FORBIDDEN');
    expect(await count(t, 'students')).toBe(1);
  });
});

describe('plan limit', () => {
  it('6 concurrent creates with maxStudents 3: exactly 3 succeed; deleting frees a slot', async () => {
    const t = await sys.createTenant('stu-limit', { limits: { maxLibraries: 2, maxStudents: 3, maxStaff: 3 } });
    const lib = await createLibrary(t, 'Only', 10);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => sys.gql(CREATE, { i: { name: `S${i}`, phone: `98765000${10 + i}`, libraryId: lib } }, { token: t.ownerToken })),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => code(r) === 'LIMIT_EXCEEDED')).toHaveLength(3);
    expect(await count(t, 'students')).toBe(3);
    expect(await count(t, 'student_quotas')).toBe(3);

    await sys.ok(DELETE, { id: ok[0].data.createStudent.id }, { token: t.ownerToken });
    await sys.ok(CREATE, { i: { name: 'Late', phone: '9876500099', libraryId: lib } }, { token: t.ownerToken });
    expect(code(await sys.gql(CREATE, { i: { name: 'Over', phone: '9876500098', libraryId: lib } }, { token: t.ownerToken }))).toBe('LIMIT_EXCEEDED');
    expect(await count(t, 'students')).toBe(3);
    expect(await count(t, 'student_quotas')).toBe(3);
  });
});

describe('bookings', () => {
  it('concurrent bookSeat for one seat and date: exactly one wins, the rest CONFLICT', async () => {
    const t = await sys.createTenant('stu-book');
    const lib = await createLibrary(t, 'Seats', 5);
    const students = [];
    for (let i = 0; i < 5; i++) students.push(await createStudent(t, lib, `B${i}`));
    const results = await Promise.all(
      students.map((s) => sys.gql(BOOK, { i: { studentId: s.id, libraryId: lib, seatNumber: 3, date: '2030-01-15' } }, { token: t.ownerToken })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => code(r) === 'CONFLICT')).toHaveLength(4);
    expect(await count(t, 'bookings', { status: 'confirmed' })).toBe(1);
    const winner = results.find((r) => !r.errors)!.data.bookSeat;
    expect(winner).toMatchObject({ seatNumber: 3, date: '2030-01-15', status: 'CONFIRMED', library: { id: lib } });

    // The winner cannot take a second seat the same day; another day is fine.
    const again = { studentId: winner.student.id, libraryId: lib, date: '2030-01-15' };
    expect(code(await sys.gql(BOOK, { i: { ...again, seatNumber: 4 } }, { token: t.ownerToken }))).toBe('CONFLICT');
    await sys.ok(BOOK, { i: { ...again, seatNumber: 4, date: '2030-01-16' } }, { token: t.ownerToken });

    // Cancelling frees the seat for someone else; staff may book.
    expect((await sys.ok(CANCEL, { id: winner.id }, { token: t.ownerToken })).cancelBooking.status).toBe('CANCELLED');
    const loser = students.find((s) => s.id !== winner.student.id)!;
    const staff = await sys.userToken(t, 'staff');
    await sys.ok(BOOK, { i: { studentId: loser.id, libraryId: lib, seatNumber: 3, date: '2030-01-15' } }, { token: staff });
    const list = await sys.ok(
      `query($l: ID, $d: String) { bookings(libraryId: $l, date: $d) { status student { name } } }`,
      { l: lib, d: '2030-01-15' },
      { token: t.ownerToken },
    );
    expect(list.bookings.map((b: { status: string }) => b.status).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
  });

  it('rejects seats outside the capacity, bad dates and unknown libraries without writing', async () => {
    const t = await sys.createTenant('stu-book-bad');
    const lib = await createLibrary(t, 'Tiny', 2);
    const s = await createStudent(t, lib, 'Zed');
    const base = { studentId: s.id, libraryId: lib, seatNumber: 1, date: '2030-03-01' };
    const cases: [Record<string, unknown>, string][] = [
      [{ seatNumber: 3 }, 'BAD_USER_INPUT'],
      [{ seatNumber: 0 }, 'BAD_USER_INPUT'],
      [{ date: '2030-02-30' }, 'BAD_USER_INPUT'],
      [{ date: '01-03-2030' }, 'BAD_USER_INPUT'],
      [{ libraryId: 'nope' }, 'BAD_USER_INPUT'],
      [{ libraryId: '0123456789abcdef01234567' }, 'NOT_FOUND'],
      [{ studentId: '0123456789abcdef01234567' }, 'NOT_FOUND'],
    ];
    for (const [patch, expected] of cases) {
      expect([patch, code(await sys.gql(BOOK, { i: { ...base, ...patch } }, { token: t.ownerToken }))]).toEqual([patch, expected]);
    }
    expect(await count(t, 'bookings')).toBe(0);
  });
});

describe('attendance', () => {
  it('double check-in is CONFLICT; concurrent check-ins open exactly one visit', async () => {
    const t = await sys.createTenant('stu-att');
    const lib = await createLibrary(t, 'Hall', 10);
    const s = await createStudent(t, lib, 'Ira');
    const results = await Promise.all(Array.from({ length: 5 }, () => sys.gql(CHECK_IN, { s: s.id }, { token: t.ownerToken })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => code(r) === 'CONFLICT')).toHaveLength(4);
    expect(await count(t, 'attendance', { checkOutAt: null })).toBe(1);
    expect(code(await sys.gql(CHECK_IN, { s: s.id }, { token: t.ownerToken }))).toBe('CONFLICT');

    const staff = await sys.userToken(t, 'staff');
    await sys.ok(CHECK_OUT, { s: s.id }, { token: staff });
    expect(code(await sys.gql(CHECK_OUT, { s: s.id }, { token: staff }))).toBe('CONFLICT');
    await sys.ok(CHECK_IN, { s: s.id }, { token: staff });
    const visits = await sys.ok(`query($s: ID) { attendance(studentId: $s) { checkOutAt student { name } library { id } } }`, { s: s.id }, { token: staff });
    expect(visits.attendance).toHaveLength(2);
    expect(visits.attendance[0]).toEqual({ checkOutAt: null, student: { name: 'Ira' }, library: { id: lib } });
    expect(visits.attendance[1].checkOutAt).not.toBeNull();

    // Only ACTIVE students may check in.
    const gone = await createStudent(t, lib, 'Gone');
    await sys.ok(UPDATE, { id: gone.id, i: { status: 'LEFT' } }, { token: t.ownerToken });
    expect(code(await sys.gql(CHECK_IN, { s: gone.id }, { token: t.ownerToken }))).toBe('CONFLICT');
    expect(await count(t, 'attendance')).toBe(2);
  });
});

describe('bad input and tenant isolation', () => {
  it('rejects malformed ids, over-long names and operator objects, writing nothing', async () => {
    const t = await sys.createTenant('stu-bad');
    const lib = await createLibrary(t, 'Lib', 10);
    const s = await createStudent(t, lib, 'Keep');
    const opts = { token: t.ownerToken };
    expect(code(await sys.gql(GET, { id: 'not-an-id' }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(UPDATE, { id: 'zzz', i: { name: 'New' } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CHECK_IN, { s: '123' }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CREATE, { i: { name: 'x'.repeat(500), phone: '9999999999', libraryId: lib } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CREATE, { i: { name: 'Ok', phone: '12ab', libraryId: lib } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CREATE, { i: { name: 'Ok', phone: '9999999999', email: 'nope', libraryId: lib } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CREATE, { i: { name: { $ne: null }, phone: '9999999999', libraryId: lib } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(CREATE, { i: { name: 'Ok', phone: '9999999999', libraryId: 'x' } }, opts))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(UPDATE, { id: s.id, i: { name: 'y'.repeat(101) } }, opts))).toBe('BAD_USER_INPUT');

    const injected = await sys.gql(LIST, { f: { search: { $ne: null } } }, opts);
    expect(code(injected)).toBe('BAD_USER_INPUT');
    expect(injected.data?.students).toBeUndefined();
    expect(code(await sys.gql(LIST, { f: { search: 'q'.repeat(101) } }, opts))).toBe('BAD_USER_INPUT');

    expect(await count(t, 'students')).toBe(1);
    expect(await tenantDb(t).collection('students').findOne({})).toMatchObject({ name: 'Keep' });
    expect(await count(t, 'attendance')).toBe(0);
  });

  it("tenant B cannot see or change tenant A's student", async () => {
    const a = await sys.createTenant('stu-iso-a');
    const b = await sys.createTenant('stu-iso-b');
    const libA = await createLibrary(a, 'A Lib', 10);
    const libB = await createLibrary(b, 'B Lib', 10);
    const s = await createStudent(a, libA, 'Private');
    const asB = { token: b.ownerToken };

    expect((await sys.ok(GET, { id: s.id }, asB)).student).toBeNull();
    expect(code(await sys.gql(UPDATE, { id: s.id, i: { name: 'Hacked' } }, asB))).toBe('NOT_FOUND');
    expect(code(await sys.gql(DELETE, { id: s.id }, asB))).toBe('NOT_FOUND');
    expect(code(await sys.gql(CHECK_IN, { s: s.id }, asB))).toBe('NOT_FOUND');
    expect(code(await sys.gql(BOOK, { i: { studentId: s.id, libraryId: libB, seatNumber: 1, date: '2030-05-01' } }, asB))).toBe('NOT_FOUND');
    // A's library is invisible to B as well.
    expect(code(await sys.gql(CREATE, { i: { name: 'Sneaky', phone: '9999999999', libraryId: libA } }, asB))).toBe('NOT_FOUND');
    expect((await sys.ok(LIST, {}, asB)).students.totalCount).toBe(0);

    const stored = await tenantDb(a).collection('students').findOne({});
    expect(stored).toMatchObject({ name: 'Private', status: 'active', phone: expect.any(String) });
    expect(await count(a, 'attendance')).toBe(0);
    expect(await count(b, 'students')).toBe(0);
    expect(await count(b, 'bookings')).toBe(0);
  });

  it('resolves Student references for other subgraphs: own ids only, malformed or foreign ids are null', async () => {
    const a = await sys.createTenant('stu-ref-a');
    const b = await sys.createTenant('stu-ref-b');
    const s = await createStudent(a, await createLibrary(a, 'Ref', 5), 'Ravi');
    const foreign = await createStudent(b, await createLibrary(b, 'Other', 5), 'Other');
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Student { id name checkedIn } } }`;
    const reps = [s.id, 'garbage', foreign.id, s.id.toUpperCase()].map((id) => ({ __typename: 'Student', id }));
    const res = await sys.ok(ENTITIES, { r: reps }, { token: a.ownerToken, url: sys.subgraphUrls.student });
    expect(res._entities).toEqual([{ id: s.id, name: 'Ravi', checkedIn: false }, null, null, { id: s.id, name: 'Ravi', checkedIn: false }]);
  });
});
