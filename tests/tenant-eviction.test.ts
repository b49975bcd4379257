import type { Connection, Schema } from 'mongoose';
import { modelOn } from '../core/tenancy/db';
import { tenantSchemas as studentSchemas } from '../subgraphs/student';
import { startSystem, type System, type TestTenant } from './helpers/system';

/**
 * Issue 19: each process keeps at most TENANT_CONNECTIONS_MAX tenant database views
 * (with their compiled models), least recently used dropped. Six tenants through a
 * system that keeps three: every tenant keeps working after its view was evicted, each
 * sees only its own data, and the pool's bookkeeping does not grow with every tenant seen.
 */
const MAX = 3;
let sys: System;
const tenants: TestTenant[] = [];

beforeAll(async () => {
  sys = await startSystem({ TENANT_CONNECTIONS_MAX: String(MAX) });
  for (let i = 0; i < 6; i++) tenants.push(await sys.createTenant(`evict-${i}`, { plan: 'professional' }));
}, 120_000);
afterAll(() => sys?.stop());

const views = () => (sys.db as unknown as { tenantViews: number }).tenantViews;
/** The views mongoose lists on the default pool (useDb's bookkeeping): bounded too. */
const listed = () => ((sys.db.cluster('default') as Connection & { otherDbs: Connection[] }).otherDbs ?? []).length;

async function addStudent(t: TestTenant, name: string): Promise<string> {
  const as = { token: t.ownerToken };
  const lib = await sys.ok('mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }', { i: { name: `Hall ${name}`, capacity: 10 } }, as);
  const s = await sys.ok(
    'mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }',
    { i: { name, phone: '9876543210', libraryId: lib.createLibrary.id } },
    as,
  );
  return s.createStudent.id;
}

const names = async (t: TestTenant) =>
  ((await sys.ok('{ students(first: 50) { edges { node { name } } } }', {}, { token: t.ownerToken })).students.edges as { node: { name: string } }[])
    .map((e) => e.node.name)
    .sort();

it('a tenant whose view was evicted works when touched again, and sees only its own data', async () => {
  for (const [i, t] of tenants.entries()) await addStudent(t, `Student ${i}`);
  expect(views()).toBeLessThanOrEqual(MAX);
  // Round robin over six tenants with room for three: every request after the first lap
  // reaches a tenant whose view was dropped.
  for (let lap = 0; lap < 3; lap++) {
    for (const [i, t] of tenants.entries()) expect(await names(t)).toEqual([`Student ${i}`]);
    expect(views()).toBeLessThanOrEqual(MAX);
  }
  // Writes after eviction land in the right tenant.
  await addStudent(tenants[0], 'Late arrival');
  expect(await names(tenants[0])).toEqual(['Late arrival', 'Student 0']);
  for (const [i, t] of tenants.slice(1).entries()) expect(await names(t)).toEqual([`Student ${i + 1}`]);
});

it("mongoose's list of views stays bounded: evicted views are let go", async () => {
  const before = listed();
  // 200 database names (a view is lazy: nothing is sent until it is queried).
  for (let i = 0; i < 200; i++) sys.db.tenant(`ss_evict_probe_${i}`);
  expect(views()).toBe(MAX);
  expect(listed()).toBeLessThanOrEqual(before + MAX);
  // And the tenants still answer after being pushed out by them.
  for (const [i, t] of tenants.entries()) expect(await names(t)).toEqual(expect.arrayContaining([`Student ${i}`]));
});

it('concurrent requests across more tenants than the cache holds all answer their own tenant', async () => {
  const answers = await Promise.all(Array.from({ length: 24 }, (_, k) => tenants[k % tenants.length]).map((t) => names(t)));
  answers.forEach((a, k) => expect(a).toContain(`Student ${k % tenants.length}`));
  expect(views()).toBeLessThanOrEqual(MAX);
});

it('models are compiled once and bound to each tenant view: each reads its own database, none is kept after eviction', async () => {
  const [name, schema] = Object.entries(studentSchemas)[0] as [string, Schema];
  const bound = Array.from({ length: 50 }, (_, i) => {
    const conn = sys.db.tenant(`ss_evict_bind_${i}`);
    return { conn, model: modelOn(conn, name, schema) };
  });
  // One compiled schema shared, a different database per tenant.
  expect(new Set(bound.map((b) => b.model.schema)).size).toBe(1);
  expect(new Set(bound.map((b) => b.model.db.name)).size).toBe(50);
  bound.forEach((b) => expect(b.model.collection.conn).toBe(b.conn));
  // The template keeps no list of the models bound to it (mongoose's would hold evicted tenants).
  const template = Object.getPrototypeOf(bound[0].model) as object;
  const lists = Object.getOwnPropertySymbols(template).map((k) => (template as Record<symbol, unknown>)[k]);
  expect(lists.filter((l) => Array.isArray(l) && l.length > 0)).toEqual([]);
  expect(views()).toBe(MAX);
});
