import fc from 'fast-check';

/** One hostile HTTP request to the gateway's /graphql. */
export interface HostileCase {
  kind: string;
  body: string;
  contentType?: string;
}

const json = (kind: string, v: unknown): HostileCase => ({ kind, body: JSON.stringify(v) });
const op = (kind: string, query: unknown, variables?: unknown) => json(kind, { query, variables });

const hex24 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 24, maxLength: 24 });
const oddStrings = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\u202egnp.exe',
    '\ufeff',
    '\ud800',
    '\udfff\ud800',
    '𝕏'.repeat(50),
    '../../etc/passwd',
    "'; db.dropDatabase(); '",
    '<script>x</script>',
    '%00',
    '${7*7}',
  ),
);
const operators = fc.constantFrom<unknown>(
  { $ne: null },
  { $gt: '' },
  { $where: 'sleep(1000)' },
  { $regex: '.*' },
  { $expr: { $eq: [1, 1] } },
  { $in: [] },
  { __proto__: { admin: true } },
  { constructor: { prototype: { x: 1 } } },
);
/** Values of any type where an id, string, number or input object is expected. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  oddStrings,
  hex24,
  operators,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => 'A'.repeat(n)),
  fc.array(fc.oneof(oddStrings, operators), { maxLength: 5 }),
  fc.object({ maxDepth: 3 }),
);

const TYPED: [string, string, (v: unknown) => Record<string, unknown>][] = [
  ['invalid id', 'query($id: ID!) { student(id: $id) { name } }', (v) => ({ id: v })],
  ['invalid id', 'query($id: ID!) { library(id: $id) { name occupancy { free } } }', (v) => ({ id: v })],
  ['invalid id', 'query($id: ID!) { payment(id: $id) { amount } }', (v) => ({ id: v })],
  ['filter', 'query($f: StudentFilter) { students(filter: $f) { totalCount } }', (v) => ({ f: { libraryId: v, search: v } })],
  ['filter', 'query($f: StudentFilter) { students(filter: $f) { totalCount } }', (v) => ({ f: v })],
  ['input', 'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }', (v) => ({ i: { name: v, phone: v, libraryId: v } })],
  [
    'input',
    'mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }',
    (v) => ({ i: { studentId: v, amount: v, method: 'CASH', idempotencyKey: v } }),
  ],
  ['input', 'mutation($i: LoginInput!) { login(input: $i) { accessToken } }', (v) => ({ i: { email: v, password: v, tenant: v } })],
  ['wrong types', 'query($id: ID!) { student(id: $id) { name } }', (v) => (typeof v === 'object' && v ? (v as Record<string, unknown>) : { id: [v] })],
];

const nest = (depth: number) => `{ ${'libraries { '.repeat(depth)}id${' }'.repeat(depth)} }`;
const structural: fc.Arbitrary<HostileCase> = fc.oneof(
  fc.integer({ min: 11, max: 400 }).map((d) => op('deep nesting', nest(d))),
  fc.integer({ min: 16, max: 3000 }).map((k) => op('alias bomb', `{ ${Array.from({ length: k }, (_, i) => `a${i}: libraries { id }`).join(' ')} }`)),
  fc.integer({ min: 51, max: 2000 }).map((k) => op('directive bomb', `{ __typename ${'@include(if: true) '.repeat(k)}}`)),
  fc.integer({ min: 1000, max: 20000 }).map((k) => op('token bomb', `{ ${'__typename '.repeat(k)}}`)),
  fc
    .integer({ min: 2, max: 50 })
    .map((k) => op('fragment cycle', `query { ...F0 } ${Array.from({ length: k }, (_, i) => `fragment F${i} on Query { ...F${(i + 1) % k} }`).join(' ')}`)),
  fc.integer({ min: 6, max: 30 }).map((d) => op('introspection depth', `{ __schema { types { ${'fields { type { '.repeat(d)}name${' } }'.repeat(d)} } } }`)),
  fc.string({ unit: 'binary', maxLength: 300 }).map((q) => op('garbage query', q)),
  hostileValue.map((q) => op('query not a string', typeof q === 'string' ? { q } : q)),
  fc
    .tuple(fc.constantFrom('{ __typename }'), hostileValue)
    .map(([q, v]) => json('bad envelope', { query: q, variables: v, operationName: v, extensions: { persistedQuery: v } })),
  fc.integer({ min: 1_050_000, max: 3_000_000 }).map((n) => op('oversized body', `{ __typename }`, { pad: 'x'.repeat(n) })),
  fc.string({ maxLength: 200 }).map((s) => ({ kind: 'broken json', body: `{"query": "{ __typename }", ${s}` })),
  fc.integer({ min: 2, max: 20 }).map((k) =>
    json(
      'batch',
      Array.from({ length: k }, () => ({ query: '{ __typename }' })),
    ),
  ),
  fc
    .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data')
    .map((ct) => ({ kind: 'csrf content-type', body: '{"query":"{ __typename }"}', contentType: ct })),
);

const typed: fc.Arbitrary<HostileCase> = fc.tuple(fc.constantFrom(...TYPED), hostileValue).map(([[kind, query, vars], v]) => op(kind, query, vars(v)));

/** `n` hostile requests, reproducible from `seed`. */
export function hostileCases(n: number, seed: number): HostileCase[] {
  return fc.sample(fc.oneof({ arbitrary: typed, weight: 3 }, { arbitrary: structural, weight: 2 }), { numRuns: n, seed });
}
