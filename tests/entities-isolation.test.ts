import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, type ConstDirectiveNode } from 'graphql';
import { SUBGRAPH_NAMES, type SubgraphName } from '../core/config';
import { signBody, SIGNATURE_HEADER } from '../core/security/signing';
import { seedTenantData } from './helpers/fixtures';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';

// Issue 15 item 7: `_entities` of every subgraph answers null for an id outside the caller's
// tenant, for every entity type. The types come from the checked-in subgraph SDLs, so a new
// `@key` type fails here until it has a fixture below (and an isolating __resolveReference).

const SIGNING = 'entities-signing-secret-entities-signing-00';

interface EntityType {
  subgraph: SubgraphName;
  typename: string;
  resolvable: boolean;
}

const isTrue = (d: ConstDirectiveNode, arg: string) => {
  const v = d.arguments?.find((a) => a.name.value === arg)?.value;
  return !(v?.kind === Kind.BOOLEAN && !v.value);
};

function entityTypes(): EntityType[] {
  const out: EntityType[] = [];
  for (const subgraph of SUBGRAPH_NAMES) {
    const doc = parse(readFileSync(join(__dirname, '..', 'schema', `${subgraph}.graphql`), 'utf8'));
    for (const def of doc.definitions) {
      if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
      const keys = (def.directives ?? []).filter((d) => d.name.value === 'key');
      if (keys.length) out.push({ subgraph, typename: def.name.value, resolvable: keys.some((k) => isTrue(k, 'resolvable')) });
    }
  }
  return out;
}

const ENTITY_TYPES = entityTypes();

/** One id per entity type in a tenant, created through the gateway. */
type Ids = Record<string, string>;

let sys: System;
let a: TestTenant;
let b: TestTenant;
let aIds: Ids;
let bIds: Ids;

async function seed(t: TestTenant): Promise<Ids> {
  const o = { token: t.ownerToken };
  const d = await seedTenantData(sys, t);
  const shift = await sys.ok(
    `mutation($i: CreateShiftInput!) { createShift(input: $i) { id } }`,
    { i: { libraryId: d.libraryId, name: 'Isolation test', startTime: '06:00', endTime: '12:00' } },
    o,
  );
  const plan = await sys.ok(
    `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
    { i: { libraryId: d.libraryId, shiftId: shift.createShift.id, name: 'Monthly', duration: 'MONTHLY', price: 150_000, seatKind: 'RESERVED' } },
    o,
  );
  const membership = await sys.ok(
    `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
    { i: { studentId: d.studentId, planId: plan.createFeePlan.id, idempotencyKey: `ent-${t.slug}` } },
    o,
  );
  return {
    Tenant: t.id,
    Library: d.libraryId,
    Student: d.studentId,
    Payment: d.paymentId,
    Shift: shift.createShift.id,
    Membership: membership.assignFeePlan.id,
  };
}

beforeAll(async () => {
  sys = await startSystem({ GATEWAY_SIGNING_SECRET: SIGNING });
  a = await sys.createTenant('ent-a');
  b = await sys.createTenant('ent-b');
  aIds = await seed(a);
  bIds = await seed(b);
});
afterAll(() => sys?.stop());

/** A subgraph's `_entities`, called directly and signed exactly as the gateway signs. */
async function entities(subgraph: SubgraphName, typename: string, ids: string[], token: string): Promise<GqlResult> {
  const body = JSON.stringify({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${typename} { id } } }`,
    variables: { r: ids.map((id) => ({ __typename: typename, id })) },
  });
  const res = await fetch(sys.subgraphUrls[subgraph], {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, [SIGNATURE_HEADER]: signBody(SIGNING, body) },
    body,
  });
  return { status: res.status, ...((await res.json()) as Omit<GqlResult, 'status'>) };
}

const randomId = () => randomBytes(12).toString('hex');

describe('the entity types under test', () => {
  it('are read from every subgraph SDL and each has a fixture', () => {
    expect(new Set(ENTITY_TYPES.map((e) => e.subgraph))).toEqual(new Set(SUBGRAPH_NAMES));
    const missing = ENTITY_TYPES.filter((e) => !aIds[e.typename]).map((e) => `${e.subgraph}.${e.typename}`);
    expect(missing).toEqual([]); // a new @key type needs an id in seed() above
  });
});

describe.each(ENTITY_TYPES.map((e) => [`${e.subgraph} ${e.typename}`, e] as const))('_entities %s', (_, e) => {
  it("answers null for the other tenant's id and for a random id, with no data", async () => {
    const res = await entities(e.subgraph, e.typename, [bIds[e.typename], randomId()], a.ownerToken);
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ _entities: [null, null] });
  });

  it("answers the entity for the caller's own id", async () => {
    const res = await entities(e.subgraph, e.typename, [aIds[e.typename]], a.ownerToken);
    expect(res.errors).toBeUndefined();
    // A `resolvable: false` key is a reference this subgraph only hands out: null is right there too.
    expect(res.data?._entities).toEqual([e.resolvable ? { __typename: e.typename, id: aIds[e.typename] } : null]);
  });
});

describe('federation paths that need the references still resolve', () => {
  it('Student.messageCount and payments, Library.occupancy, Shift.feePlans through the gateway', async () => {
    const data = await sys.ok(
      `{ students(first: 5) { edges { node { id messageCount payments(last: 1) { amount } } } }
         libraries { id occupancy { occupied } shifts { id feePlans { name } } } }`,
      {},
      { token: a.ownerToken },
    );
    expect(data.students.edges).toEqual([{ node: { id: aIds.Student, messageCount: 1, payments: [{ amount: 250000 }] } }]);
    expect(data.libraries).toMatchObject([{ id: aIds.Library, occupancy: { occupied: 1 } }]);
    expect(data.libraries[0].shifts).toContainEqual({ id: aIds.Shift, feePlans: [{ name: 'Monthly' }] });
  });

  it('one extra batched _entities call per type, whatever the number of references', async () => {
    const ids = [aIds.Student, bIds.Student, ...Array.from({ length: 48 }, randomId)];
    const reads: string[] = [];
    const off = sys.db.onCommand((ev) => {
      if (ev.commandName === 'find' && String(ev.command.find) === 'students') reads.push(ev.databaseName);
    });
    const res = await entities('messaging', 'Student', ids, a.ownerToken);
    off();
    expect(res.data?._entities.filter(Boolean)).toEqual([{ __typename: 'Student', id: aIds.Student }]);
    expect(reads).toEqual([sys.db.tenantDbName('ent-a')]);
  });
});
