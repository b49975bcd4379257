import { TEST_PASSWORD } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

describe('tenant subgraph through the gateway', () => {
  it('creates a tenant, logs its owner in and answers me', async () => {
    const t = await sys.createTenant('alpha');
    const data = await sys.ok(`{ me { role permissions user { email } tenant { slug status limits { maxStudents } } } }`, {}, { token: t.ownerToken });
    expect(data.me.role).toBe('owner');
    expect(data.me.user.email).toBe('owner@alpha.test');
    expect(data.me.tenant).toEqual({ slug: 'alpha', status: 'ACTIVE', limits: { maxStudents: 50 } });
    expect(data.me.permissions).toContain('students:read');
  });

  it('rejects a wrong password with UNAUTHENTICATED and no token', async () => {
    const res = await sys.gql(`mutation { login(input: { email: "owner@alpha.test", password: "nope", tenant: "alpha" }) { accessToken } }`);
    expect(res.data).toBeNull();
    expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.errors?.[0].extensions?.errorCode).toBe(1005);
  });

  it('creates a library and reads it back', async () => {
    const t = await sys.createTenant('beta');
    const created = await sys.ok(
      `mutation { createLibrary(input: { name: "Central", city: "Pune", capacity: 40 }) { id name capacity status } }`,
      {},
      { token: t.ownerToken },
    );
    expect(created.createLibrary).toMatchObject({ name: 'Central', capacity: 40, status: 'ACTIVE' });
    const read = await sys.ok(`query($id: ID!) { library(id: $id) { name city } }`, { id: created.createLibrary.id }, { token: t.ownerToken });
    expect(read.library).toEqual({ name: 'Central', city: 'Pune' });
    expect(TEST_PASSWORD).toBeTruthy();
  });
});
