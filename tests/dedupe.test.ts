import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { dedupeRepresentations, fanOut } from '../gateway/dedupe';
import { slice } from '../gateway/entity-batch';
import { startSystem, type System, type TestTenant } from './helpers/system';

describe('dedupeRepresentations / fanOut', () => {
  it('keeps each distinct representation once and restores every position', () => {
    const a = { __typename: 'Library', id: 'a' },
      b = { __typename: 'Library', id: 'b' };
    const d = dedupeRepresentations([a, b, { ...a }, a, b])!;
    expect(d.representations).toEqual([a, b]);
    expect(d.index).toEqual([0, 1, 0, 0, 1]);
    const res = fanOut(
      { data: { _entities: [{ name: 'A' }, null] }, errors: [{ message: 'gone', path: ['_entities', 1, 'name'] }, { message: 'other' }] },
      d.index,
    );
    expect(res.data?._entities).toEqual([{ name: 'A' }, null, { name: 'A' }, { name: 'A' }, null]);
    expect(res.errors?.map((e) => e.path)).toEqual([['_entities', 1, 'name'], ['_entities', 4, 'name'], undefined]);
  });

  it('returns null when every representation is distinct (request sent unchanged)', () => {
    expect(dedupeRepresentations([{ id: 1 }, { id: 2 }])).toBeNull();
  });

  it("slice gives a merged fetch's caller its own entities and errors, renumbered", () => {
    const res = { data: { _entities: ['a', 'b', 'c', 'd'] }, errors: [{ message: 'x', path: ['_entities', 3, 'f'] }, { message: 'all' }] };
    expect(slice(res, 2, 2)).toEqual({ data: { _entities: ['c', 'd'] }, errors: [{ message: 'x', path: ['_entities', 1, 'f'] }, { message: 'all' }] });
    expect(slice(res, 0, 2).errors).toEqual([{ message: 'all' }]);
  });
});

describe('the gateway sends duplicate representations once', () => {
  let sys: System;
  let t: TestTenant;
  beforeAll(async () => {
    sys = await startSystem();
    t = await sys.createTenant('dedupe-a');
    const lib = await sys.ok('mutation { createLibrary(input: { name: "Only Hall", capacity: 20 }) { id } }', {}, { token: t.ownerToken });
    for (let i = 0; i < 6; i++) {
      await sys.ok(
        'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
        { i: { name: `S${i}`, phone: `98765000${String(i).padStart(2, '0')}`, libraryId: lib.createLibrary.id } },
        { token: t.ownerToken },
      );
    }
  });
  afterAll(() => sys?.stop());

  const record = () => {
    const sent: unknown[][] = [];
    // ForwardingDataSource merges and dedupes, then calls super.process: record what goes out there.
    const original = RemoteGraphQLDataSource.prototype.process;
    const spy = jest.spyOn(RemoteGraphQLDataSource.prototype, 'process').mockImplementation(function (this: RemoteGraphQLDataSource, opts) {
      const reps = opts.request.variables?.representations;
      if (Array.isArray(reps)) sent.push(reps);
      return original.call(this, opts);
    });
    return { sent, restore: () => spy.mockRestore() };
  };
  const isLibrary = (r: unknown[]) => (r[0] as { __typename?: string }).__typename === 'Library';

  it('two aliased lists: their identical Library fetches are merged into one request with one representation', async () => {
    const rec = record();
    // Named: the planner then names every subgraph fetch differently (Pages__tenant__2, …__3).
    const q =
      'query Pages { a: students(first: 3) { edges { node { name library { name } } } } b: students(first: 6) { edges { node { library { name } } } } }';
    const data = await sys.ok(q, {}, { token: t.ownerToken }).finally(rec.restore);
    expect(data.a.edges).toHaveLength(3);
    expect(data.b.edges).toHaveLength(6);
    expect([...data.a.edges, ...data.b.edges].every((e: { node: { library: { name: string } } }) => e.node.library.name === 'Only Hall')).toBe(true);
    expect(rec.sent.filter(isLibrary)).toEqual([[expect.objectContaining({ __typename: 'Library' })]]);
  });

  it('6 students of one library: one Library representation reaches the tenant subgraph, every student gets the name', async () => {
    const sent: unknown[][] = [];
    // ForwardingDataSource dedupes, then calls super.process: record what goes out there.
    const original = RemoteGraphQLDataSource.prototype.process;
    const spy = jest.spyOn(RemoteGraphQLDataSource.prototype, 'process').mockImplementation(function (this: RemoteGraphQLDataSource, opts) {
      const reps = opts.request.variables?.representations;
      if (Array.isArray(reps)) sent.push(reps);
      return original.call(this, opts);
    });
    const data = await sys
      .ok('{ students(first: 10) { edges { node { name library { name } } } } }', {}, { token: t.ownerToken })
      .finally(() => spy.mockRestore());
    expect(data.students.edges).toHaveLength(6);
    expect(data.students.edges.every((e: { node: { library: { name: string } } }) => e.node.library.name === 'Only Hall')).toBe(true);
    const libraryReps = sent.filter((r) => (r[0] as { __typename?: string }).__typename === 'Library');
    expect(libraryReps).toEqual([[expect.objectContaining({ __typename: 'Library' })]]);
  });

  /** Subgraph fetches whose document matches `doc`, with the caller each carried. */
  const recordFetches = (doc = /^\s*(query\b[^{]*)?\{\s*students\b/) => {
    const sent: string[] = [];
    const original = RemoteGraphQLDataSource.prototype.process;
    const spy = jest.spyOn(RemoteGraphQLDataSource.prototype, 'process').mockImplementation(function (this: RemoteGraphQLDataSource, opts) {
      if (doc.test(opts.request.query ?? '')) sent.push(String((opts.context as { headers?: Record<string, string> } | undefined)?.headers?.authorization));
      return original.call(this, opts);
    });
    return { sent, restore: () => spy.mockRestore() };
  };

  it('identical queries of one caller in flight together reach the subgraph once; each answer is whole and its own', async () => {
    const rec = recordFetches();
    const withName = '{ students(first: 10) { edges { node { name library { name } } } } }';
    const withCapacity = '{ students(first: 10) { edges { node { name library { capacity } } } } }';
    const answers = await Promise.all([...Array(6).fill(withName), ...Array(2).fill(withCapacity)].map((q) => sys.ok(q, {}, { token: t.ownerToken }))).finally(
      rec.restore,
    );
    // Both documents plan the same root fetch: 8 client requests, fewer than 8 fetches (normally 1).
    expect(rec.sent.length).toBeLessThan(8);
    for (const [i, a] of answers.entries()) {
      expect(a.students.edges).toHaveLength(6);
      const lib = a.students.edges[0].node.library;
      // A shared fetch must not leak one request's follow-up fields into another's answer.
      expect(lib).toEqual(i < 6 ? { name: 'Only Hall' } : { capacity: 20 });
    }
  });

  it('the same query from another user or another tenant is never shared', async () => {
    const other = await sys.createTenant('dedupe-b');
    const lib = await sys.ok('mutation { createLibrary(input: { name: "Other Hall", capacity: 5 }) { id } }', {}, { token: other.ownerToken });
    await sys.ok(
      'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
      { i: { name: 'Other', phone: '9876511111', libraryId: lib.createLibrary.id } },
      { token: other.ownerToken },
    );
    const manager = await sys.userToken(t, 'manager');
    const rec = recordFetches();
    const q = '{ students(first: 10) { edges { node { name library { name } } } } }';
    const [mine, theirs, managers] = await Promise.all([t.ownerToken, other.ownerToken, manager].map((token) => sys.ok(q, {}, { token }))).finally(rec.restore);
    expect(new Set(rec.sent)).toEqual(new Set([t.ownerToken, other.ownerToken, manager].map((k) => `Bearer ${k}`)));
    expect(mine.students.edges).toHaveLength(6);
    expect(managers.students.edges).toHaveLength(6);
    expect(theirs.students.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Other']);
  });

  it('identical mutations in flight together each run', async () => {
    const m = 'mutation { createLibrary(input: { name: "Twin Hall", capacity: 3 }) { id } }';
    const rec = recordFetches(/createLibrary/);
    const res = await Promise.all([1, 2].map(() => sys.gql(m, {}, { token: t.ownerToken }))).finally(rec.restore);
    expect(rec.sent).toHaveLength(2);
    // Free plan: one library per tenant, already used, so both are refused — each on its own.
    expect(res.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['LIMIT_EXCEEDED', 'LIMIT_EXCEEDED']);
  });
});
