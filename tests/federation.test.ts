import { seedTenantData, type TenantData } from './helpers/fixtures';
import { startSystem, type System, type TestTenant } from './helpers/system';

let sys: System;
let a: TestTenant;
let aData: TenantData;
let staffA: string;
let b: TestTenant;

beforeAll(async () => {
  sys = await startSystem();
  a = await sys.createTenant('fed-a');
  aData = await seedTenantData(sys, a);
  staffA = await sys.userToken(a, 'staff');
  b = await sys.createTenant('fed-b');
  await seedTenantData(sys, b);
});
afterAll(() => sys?.stop());

const DASHBOARD = `query Dashboard {
  me { role tenant { name wallet { sms } } }
  libraries { name capacity occupancy { occupied free percent } }
  students(first: 10) {
    totalCount
    edges { node { name phone library { name } payments(last: 3) { amount invoice { number } } messages { body } messageCount } }
  }
  revenueSummary { month total count library { name } }
  notifications { title }
}`;

describe('one request across all five subgraphs', () => {
  it('resolves tenant, student, billing, credits and messaging fields together', async () => {
    const data = await sys.ok(DASHBOARD, {}, { token: a.ownerToken });
    expect(data.me).toEqual({ role: 'owner', tenant: { name: 'Tenant fed-a', wallet: { sms: 19 } } });
    expect(data.libraries).toEqual([{ name: 'Main fed-a', capacity: 50, occupancy: { occupied: 1, free: 49, percent: 2 } }]);
    expect(data.students.totalCount).toBe(1);
    const node = data.students.edges[0].node;
    expect(node).toMatchObject({ name: 'Student fed-a', phone: '9876543210', library: { name: 'Main fed-a' }, messageCount: 1 });
    expect(node.payments).toEqual([{ amount: 250000, invoice: { number: expect.stringMatching(/^INV\/\d{4}-\d{2}\/000001$/) } }]);
    expect(node.messages).toEqual([{ body: 'Hi Asha, fees due' }]);
    expect(data.revenueSummary).toEqual([{ month: expect.stringMatching(/^\d{4}-\d{2}$/), total: 250000, count: 1, library: { name: 'Main fed-a' } }]);
    expect(Array.isArray(data.notifications)).toBe(true);
  });

  it('never mixes in the other tenant', async () => {
    const data = await sys.ok(DASHBOARD, {}, { token: b.ownerToken });
    expect(JSON.stringify(data)).not.toContain('fed-a');
    expect(data.libraries[0].name).toBe('Main fed-b');
  });
});

/** Calls a subgraph's `_entities` directly, as the gateway (or an attacker) would. */
function entities(subgraph: keyof System['subgraphUrls'], typename: string, ids: string[], selection: string, token?: string) {
  return sys.gql(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { ${selection} } } }`,
    { r: ids.map((id) => ({ __typename: typename, id })) },
    { token, url: sys.subgraphUrls[subgraph] },
  );
}

describe('_entities is guarded exactly like Query', () => {
  const cases: [keyof System['subgraphUrls'], string, () => string, string][] = [
    ['tenant', 'Library', () => aData.libraryId, 'name capacity'],
    ['tenant', 'Tenant', () => a.id, 'name slug'],
    ['student', 'Student', () => aData.studentId, 'name phone'],
    ['billing', 'Payment', () => aData.paymentId, 'amount'],
    ['credits', 'Tenant', () => a.id, 'wallet { sms }'],
  ];

  it.each(cases)('%s %s: owner of the tenant resolves it', async (sg, type, id, sel) => {
    const res = await entities(sg, type, [id()], sel, a.ownerToken);
    expect(res.errors).toBeUndefined();
    expect(res.data._entities[0]).not.toBeNull();
  });

  it.each(cases)('%s %s: another tenant gets null', async (sg, type, id, sel) => {
    const res = await entities(sg, type, [id()], sel, b.ownerToken);
    expect(res.data?._entities?.[0] ?? null).toBeNull();
    expect(JSON.stringify(res)).not.toContain('fed-a');
  });

  it.each(cases)('%s %s: no token is UNAUTHENTICATED and returns no data', async (sg, type, id, sel) => {
    const res = await entities(sg, type, [id()], sel);
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(res.data ?? null)).not.toMatch(/fed-a|9876543210|250000/);
  });

  it('staff reaching a Student through _entities gets the name but not the phone', async () => {
    const res = await entities('student', 'Student', [aData.studentId], 'name phone', staffA);
    expect(res.data._entities[0]).toBeNull(); // phone is non-null, so the denied field nulls the entity
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const nameOnly = await entities('student', 'Student', [aData.studentId], 'name', staffA);
    expect(nameOnly.data._entities[0]).toEqual({ name: 'Student fed-a' });
  });

  it('staff cannot read payment amounts through _entities either', async () => {
    const res = await entities('billing', 'Payment', [aData.paymentId], 'amount', staffA);
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(res.data)).not.toContain('250000');
  });

  it('contributed fields: another tenant sees no payments or messages for a foreign student id', async () => {
    const pay = await entities('billing', 'Student', [aData.studentId], 'payments { amount }', b.ownerToken);
    expect(pay.data._entities[0]?.payments ?? []).toEqual([]);
    const msg = await entities('messaging', 'Student', [aData.studentId], 'messages { body } messageCount', b.ownerToken);
    expect(msg.data._entities[0]?.messages ?? []).toEqual([]);
    expect(msg.data._entities[0]?.messageCount ?? 0).toBe(0);
  });
});

describe('entity references are batched', () => {
  it('100 representations of Student cost one query on students', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => (i % 3 === 0 ? aData.studentId : `${'0'.repeat(23)}${i % 10}`));
    const seen: string[] = [];
    const off = sys.db.onCommand((e) => {
      if (e.databaseName === sys.db.tenantDbName('fed-a')) seen.push(`${e.commandName}:${String(e.command[e.commandName])}`);
    });
    const res = await entities('student', 'Student', ids, 'id name', a.ownerToken);
    off();
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.filter(Boolean)).toHaveLength(34);
    expect(seen.filter((c) => c === 'find:students')).toHaveLength(1);
  });

  it('a list query makes a constant number of database round trips, whatever its length', async () => {
    const q = `{ students(first: 100) { edges { node { name library { name } payments(last: 3) { amount } messageCount } } } }`;
    // The query's own collections only: the preceding createStudent mutations start
    // background work (audit entries, the welcome automation reading its settings)
    // that may land inside the window.
    const queried = new Set(['students', 'libraries', 'payments', 'messages']);
    const count = async () => {
      const reads: string[] = [];
      const off = sys.db.onCommand((e) => {
        const collection = String(e.command[e.commandName]);
        if (e.databaseName === sys.db.tenantDbName('fed-a') && ['find', 'aggregate', 'count'].includes(e.commandName)) {
          if (queried.has(collection)) reads.push(collection);
        }
      });
      await sys.ok(q, {}, { token: a.ownerToken });
      off();
      return reads.length;
    };
    const before = await count();
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++) {
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: `Extra ${i}`, phone: `98000000${String(i).padStart(2, '0')}`, libraryId: aData.libraryId } },
        { token: a.ownerToken },
      );
    }
    expect(await count()).toBe(before);
  });
});
