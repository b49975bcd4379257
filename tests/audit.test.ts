import { type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { sleep } from './helpers/ws';

let sys: SharedSystem;
let a: TestTenant;
let b: TestTenant;
beforeAll(async () => {
  sys = await sharedSystem();
  a = await sys.createTenant('audit-a');
  b = await sys.createTenant('audit-b');
});
afterAll(() => sys?.stop());

const LOG = `query($f: AuditFilter) { auditLog(filter: $f) { action service userId role entityId input before result ip } }`;

/** Audit entries are stored from events, so they may take a moment to appear. */
async function waitForLog(token: string, n: number, filter?: Record<string, unknown>, tenant?: string) {
  for (let i = 0; i < 40; i++) {
    const res = await sys.ok(LOG, { f: filter }, { token, tenant });
    if (res.auditLog.length >= n) return res.auditLog;
    await sleep(50);
  }
  throw new Error('audit entries did not appear');
}

describe('audit log', () => {
  it('records every successful mutation with who, what, which entity and from where, with personal data redacted', async () => {
    const lib = await sys.ok(`mutation { createLibrary(input: { name: "Audit Hall", capacity: 5 }) { id } }`, {}, { token: a.ownerToken });
    await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id name phone } }`,
      { i: { name: 'Tara', phone: '9876543210', libraryId: lib.createLibrary.id } },
      { token: a.ownerToken },
    );
    // Entries land asynchronously (and the tenant's set-up has some): wait for this one first.
    for (const action of ['createLibrary', 'createStudent']) await waitForLog(a.ownerToken, 1, { action });
    const entries = await waitForLog(a.ownerToken, 2, undefined);
    const student = entries.find((e: { action: string }) => e.action === 'createStudent');
    expect(student).toMatchObject({ service: 'student', role: 'owner', entityId: expect.any(String), ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(student.result.name).toBe('Tara');
    expect(JSON.stringify(entries)).not.toContain('9876543210');
    expect(entries.find((e: { action: string }) => e.action === 'createLibrary')).toMatchObject({ service: 'tenant', entityId: lib.createLibrary.id });
  });

  it('keeps the before and after of updates and the deleted entity of deletes', async () => {
    const c = await sys.createTenant('audit-c'); // its own tenant: the free plan allows one library
    const lib = await sys.ok(`mutation { createLibrary(input: { name: "Before Hall", capacity: 5 }) { id } }`, {}, { token: c.ownerToken });
    const st = await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name: 'Ravi', phone: '9876500001', libraryId: lib.createLibrary.id } },
      { token: c.ownerToken },
    );
    const id = st.createStudent.id;
    await sys.ok(`mutation($id: ID!) { updateStudent(id: $id, input: { name: "Ravi K", phone: "9876500002" }) { id name } }`, { id }, { token: c.ownerToken });
    await sys.ok(
      `mutation($id: ID!) { updateLibrary(id: $id, input: { capacity: 9 }) { id capacity } }`,
      { id: lib.createLibrary.id },
      { token: c.ownerToken },
    );
    await sys.ok(`mutation($id: ID!) { deleteStudent(id: $id) }`, { id }, { token: c.ownerToken });
    const [update] = await waitForLog(c.ownerToken, 1, { action: 'updateStudent' });
    expect(update).toMatchObject({ entityId: id, before: { name: 'Ravi', phone: '[redacted]' }, result: { name: 'Ravi K' } });
    const [libUpdate] = await waitForLog(c.ownerToken, 1, { action: 'updateLibrary' });
    expect(libUpdate).toMatchObject({ entityId: lib.createLibrary.id, before: { capacity: 5 }, result: { capacity: 9 } });
    const [del] = await waitForLog(c.ownerToken, 1, { action: 'deleteStudent' });
    expect(del).toMatchObject({ entityId: id, before: { name: 'Ravi K' }, result: true });
    expect(JSON.stringify([update, del])).not.toMatch(/98765000/);
  });

  it('does not record failed mutations', async () => {
    await sys.gql(`mutation { createLibrary(input: { name: "", capacity: 5 }) { id } }`, {}, { token: a.ownerToken });
    await sleep(300);
    const entries = await waitForLog(a.ownerToken, 1, { action: 'createLibrary' });
    expect(entries).toHaveLength(1);
  });

  it('is readable by owners for their own tenant only; managers may not read it', async () => {
    await sys.ok(`mutation { createLibrary(input: { name: "B Hall", capacity: 5 }) { id } }`, {}, { token: b.ownerToken });
    const bEntries = await waitForLog(b.ownerToken, 1);
    expect(JSON.stringify(bEntries)).not.toContain('Audit Hall');
    const manager = await sys.userToken(a, 'manager');
    expect((await sys.gql(LOG, {}, { token: manager })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('platform actions go to the platform log; platform staff read a tenant log with x-tenant', async () => {
    const platform = await waitForLog(sys.superToken, 1, { action: 'createTenant' });
    expect(platform[0]).toMatchObject({ action: 'createTenant', role: 'super_admin', service: 'tenant' });
    expect(JSON.stringify(platform)).not.toContain('correct-horse');
    const viaTenant = await waitForLog(sys.superToken, 1, { action: 'createStudent' }, a.slug);
    expect(viaTenant[0].action).toBe('createStudent');
  });
});
