import { upsertPlatformUser } from '../subgraphs/tenant/platform-user.service';
import { startSystem, TEST_PASSWORD, type GqlResult, type System, type TestTenant } from './helpers/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem({}, { tenant: { platformDomain: 'studyspot.test' } });
});
afterAll(() => sys?.stop());

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const registry = () => sys.db.platform().collection('tenants');

const BRANDING = `mutation($i: BrandingInput!) { updateTenantBranding(input: $i) { branding { displayName primaryColor secondaryColor logoUrl faviconUrl fontFamily pageTitle } } }`;
const MODULES = `mutation($i: TenantModulesInput!) { setTenantModules(input: $i) { modules { attendance payments messaging bookings analytics } } }`;
const PUBLIC = `query($h: String!) { tenantBranding(host: $h) { displayName branding { primaryColor logoUrl pageTitle } modules { payments analytics } } }`;

describe('white-label branding and modules', () => {
  it('owner updates branding and modules; the public query finds them by slug host and by custom domain', async () => {
    const t = await sys.createTenant('brand-a', { domain: 'learn.brand-a.com', modules: 'plan' });
    const b = await sys.ok(
      BRANDING,
      {
        i: {
          displayName: 'Brand A',
          primaryColor: '#112233',
          secondaryColor: '#aabbcc',
          logoUrl: 'https://cdn.example.com/a.png',
          faviconUrl: 'https://cdn.example.com/a.ico',
          fontFamily: 'Inter, sans-serif',
          pageTitle: 'Brand A Library',
        },
      },
      { token: t.ownerToken },
    );
    expect(b.updateTenantBranding.branding).toMatchObject({ displayName: 'Brand A', primaryColor: '#112233', pageTitle: 'Brand A Library' });
    // Free plan defaults: payments off; the tenant's own switch wins.
    const m = await sys.ok(MODULES, { i: { payments: true, attendance: false } }, { token: t.ownerToken });
    expect(m.setTenantModules.modules).toEqual({ attendance: false, payments: true, messaging: false, bookings: true, analytics: false });

    const expected = {
      displayName: 'Brand A',
      branding: { primaryColor: '#112233', logoUrl: 'https://cdn.example.com/a.png', pageTitle: 'Brand A Library' },
      modules: { payments: true, analytics: false },
    };
    expect((await sys.ok(PUBLIC, { h: 'brand-a.studyspot.test' })).tenantBranding).toEqual(expected);
    expect((await sys.ok(PUBLIC, { h: 'Learn.Brand-A.com:443' })).tenantBranding).toEqual(expected);
    expect((await sys.ok(PUBLIC, { h: 'nobody.studyspot.test' })).tenantBranding).toBeNull();
    expect((await sys.ok(PUBLIC, { h: 'evil.com' })).tenantBranding).toBeNull();
  });

  it('tenantBranding exposes nothing but branding, display name and modules', async () => {
    await sys.createTenant('brand-leak');
    const res = await sys.gql(`query { tenantBranding(host: "brand-leak.studyspot.test") { displayName slug id plan } }`);
    expect(code(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    const intro = await sys.ok(`{ __type(name: "TenantBrandingInfo") { fields { name } } }`);
    expect(intro.__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(['branding', 'displayName', 'modules']);
  });

  it('a suspended tenant has no public branding', async () => {
    const t = await sys.createTenant('brand-susp');
    expect((await sys.ok(PUBLIC, { h: 'brand-susp.studyspot.test' })).tenantBranding).not.toBeNull();
    await sys.ok(`mutation($id: ID!) { suspendTenant(id: $id) { status } }`, { id: t.id }, { token: sys.superToken });
    expect((await sys.ok(PUBLIC, { h: 'brand-susp.studyspot.test' })).tenantBranding).toBeNull();
  });

  it('managers and staff may not change branding; a platform admin may through x-tenant', async () => {
    const t = await sys.createTenant('brand-perm');
    for (const role of ['manager', 'staff'] as const) {
      const token = await sys.userToken(t, role);
      expect(code(await sys.gql(BRANDING, { i: { primaryColor: '#000000' } }, { token }))).toBe('FORBIDDEN');
      expect(code(await sys.gql(MODULES, { i: { payments: true } }, { token }))).toBe('FORBIDDEN');
    }
    expect(code(await sys.gql(BRANDING, { i: { primaryColor: '#000000' } }))).toBe('UNAUTHENTICATED');
    await upsertPlatformUser(sys.db, { email: 'admin@studyspot.test', name: 'Admin', password: TEST_PASSWORD, role: 'admin' });
    const admin = (await sys.login('admin@studyspot.test', TEST_PASSWORD)).accessToken;
    const res = await sys.ok(BRANDING, { i: { primaryColor: '#abcdef' } }, { token: admin, tenant: t.slug });
    expect(res.updateTenantBranding.branding.primaryColor).toBe('#abcdef');
    const doc = await registry().findOne({ slug: 'brand-perm' });
    expect(doc?.branding.primaryColor).toBe('#abcdef');
  });

  it('rejects bad colours, non-https URLs and over-long text, writing nothing', async () => {
    const t = await sys.createTenant('brand-bad');
    const before = await registry().findOne({ slug: 'brand-bad' });
    for (const i of [
      { primaryColor: 'red' },
      { secondaryColor: '#12345' },
      { logoUrl: 'http://cdn.example.com/a.png' },
      { faviconUrl: 'javascript:alert(1)' },
      { pageTitle: 'x'.repeat(121) },
      { fontFamily: 'Inter; } body { x' },
      { displayName: 'ok', primaryColor: 'nope' },
    ]) {
      const res = await sys.gql(BRANDING, { i }, { token: t.ownerToken });
      expect(code(res)).toBe('BAD_USER_INPUT');
    }
    expect(code(await sys.gql(MODULES, { i: { payments: 'yes' } }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(await registry().findOne({ slug: 'brand-bad' })).toEqual(before);
  });

  it('an owner only ever changes its own tenant, whatever x-tenant says', async () => {
    const a = await sys.createTenant('brand-iso-a');
    const b = await sys.createTenant('brand-iso-b');
    await sys.ok(BRANDING, { i: { displayName: 'B here' } }, { token: b.ownerToken, tenant: a.slug });
    expect((await registry().findOne({ slug: 'brand-iso-a' }))?.branding.displayName).toBe('Tenant brand-iso-a');
    expect((await registry().findOne({ slug: 'brand-iso-b' }))?.branding.displayName).toBe('B here');
  });
});

const CREATE_LIB = `mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id status latitude longitude amenities } }`;
const lib = (name: string, extra: Record<string, unknown> = {}) => ({ i: { name, capacity: 20, ...extra } });
const transition = (name: string, withReason = false) =>
  `mutation($id: ID!${withReason ? ', $r: String!' : ''}) { ${name}(id: $id${withReason ? ', reason: $r' : ''}) { id status statusReason } }`;

describe('library approval workflow', () => {
  it("a manager's library waits for the owner's approval; an owner's is active at once", async () => {
    const t = await sys.createTenant('lib-flow', { plan: 'professional' });
    const manager = await sys.userToken(t, 'manager');
    const pending = (await sys.ok(CREATE_LIB, lib('Branch'), { token: manager })).createLibrary;
    expect(pending.status).toBe('PENDING_APPROVAL');
    expect((await sys.ok(CREATE_LIB, lib('Main'), { token: t.ownerToken })).createLibrary.status).toBe('ACTIVE');
    // The manager can neither approve nor sneak the status through updateLibrary.
    expect(code(await sys.gql(transition('approveLibrary'), { id: pending.id }, { token: manager }))).toBe('FORBIDDEN');
    const sneak = await sys.gql(`mutation($id: ID!) { updateLibrary(id: $id, input: { status: ACTIVE }) { status } }`, { id: pending.id }, { token: manager });
    expect(code(sneak)).toBe('BAD_USER_INPUT');
    const approved = (await sys.ok(transition('approveLibrary'), { id: pending.id }, { token: t.ownerToken })).approveLibrary;
    expect(approved.status).toBe('ACTIVE');
    const suspended = (await sys.ok(transition('suspendLibrary', true), { id: pending.id, r: 'fire safety' }, { token: t.ownerToken })).suspendLibrary;
    expect(suspended).toMatchObject({ status: 'SUSPENDED', statusReason: 'fire safety' });
    expect((await sys.ok(transition('reactivateLibrary'), { id: pending.id }, { token: t.ownerToken })).reactivateLibrary.status).toBe('ACTIVE');
  });

  it('rejects with a reason; illegal transitions are BAD_USER_INPUT and change nothing', async () => {
    const t = await sys.createTenant('lib-illegal', { plan: 'professional' });
    const manager = await sys.userToken(t, 'manager');
    const id = (await sys.ok(CREATE_LIB, lib('Annex'), { token: manager })).createLibrary.id;
    expect(code(await sys.gql(transition('reactivateLibrary'), { id }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(transition('suspendLibrary', true), { id, r: 'x' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(transition('rejectLibrary', true), { id, r: '' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(transition('rejectLibrary', true), { id, r: 'x'.repeat(501) }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(transition('approveLibrary'), { id: 'nope' }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    const docs = await tenantDb(t).collection('libraries').find().toArray();
    expect(docs.map((d) => [d.status, d.statusReason])).toEqual([['pending_approval', null]]);
    const rejected = (await sys.ok(transition('rejectLibrary', true), { id, r: 'duplicate branch' }, { token: t.ownerToken })).rejectLibrary;
    expect(rejected).toMatchObject({ status: 'REJECTED', statusReason: 'duplicate branch' });
    expect(code(await sys.gql(transition('approveLibrary'), { id }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
  });

  it('concurrent approve and reject: exactly one wins', async () => {
    const t = await sys.createTenant('lib-race', { plan: 'professional' });
    const id = (await sys.ok(CREATE_LIB, lib('Race'), { token: await sys.userToken(t, 'manager') })).createLibrary.id;
    const results = await Promise.all([
      sys.gql(transition('approveLibrary'), { id }, { token: t.ownerToken }),
      sys.gql(transition('rejectLibrary', true), { id, r: 'no' }, { token: t.ownerToken }),
      sys.gql(transition('approveLibrary'), { id }, { token: t.ownerToken }),
    ]);
    const winners = results.filter((r) => !r.errors);
    const doc = await tenantDb(t).collection('libraries').findOne();
    // Two approvals may both "succeed" only by landing on ACTIVE; a reject and an approve never both do.
    const statuses = new Set(winners.map((r) => Object.values(r.data as Record<string, { status: string }>)[0].status));
    expect(statuses.size).toBe(1);
    expect(doc?.status).toBe([...statuses][0].toLowerCase());
  });

  it("tenant B can neither see nor approve nor update tenant A's libraries", async () => {
    const a = await sys.createTenant('lib-iso-a', { plan: 'professional' });
    const b = await sys.createTenant('lib-iso-b', { plan: 'professional' });
    const id = (await sys.ok(CREATE_LIB, lib('A only'), { token: await sys.userToken(a, 'manager') })).createLibrary.id;
    expect((await sys.ok(`query($id: ID!) { library(id: $id) { id } }`, { id }, { token: b.ownerToken })).library).toBeNull();
    expect(code(await sys.gql(transition('approveLibrary'), { id }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(transition('approveLibrary'), { id }, { token: b.ownerToken, tenant: a.slug }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(`mutation($id: ID!) { updateLibrary(id: $id, input: { name: "pwned" }) { id } }`, { id }, { token: b.ownerToken }))).toBe(
      'NOT_FOUND',
    );
    const doc = await tenantDb(a).collection('libraries').findOne();
    expect(doc).toMatchObject({ name: 'A only', status: 'pending_approval' });
  });
});

describe('location and nearby search', () => {
  const NEAR = `query($lat: Float!, $lng: Float!, $r: Float!) { librariesNear(lat: $lat, lng: $lng, radiusKm: $r) { distanceKm library { name amenities } } }`;

  it('finds active libraries within the radius, nearest first, with exact distances', async () => {
    const t = await sys.createTenant('geo', { plan: 'professional' });
    const o = { token: t.ownerToken };
    // Pune centre and surroundings.
    await sys.ok(CREATE_LIB, lib('Shivajinagar', { latitude: 18.5308, longitude: 73.8475, amenities: ['WiFi', 'ac', 'wifi'] }), o);
    await sys.ok(CREATE_LIB, lib('Kothrud', { latitude: 18.5074, longitude: 73.8077 }), o);
    await sys.ok(CREATE_LIB, lib('Mumbai', { latitude: 19.076, longitude: 72.8777 }), o);
    await sys.ok(CREATE_LIB, lib('No location'), o);
    // Inside the box but not the circle (corner): ~9.9 km north and ~9.9 km east is ~14 km away.
    await sys.ok(CREATE_LIB, lib('Corner', { latitude: 18.5204 + 0.089, longitude: 73.8567 + 0.094 }), o);
    const pending = await sys.userToken(t, 'manager');
    await sys.ok(CREATE_LIB, lib('Pending', { latitude: 18.5204, longitude: 73.8567 }), { token: pending });
    const res = (await sys.ok(NEAR, { lat: 18.5204, lng: 73.8567, r: 10 }, o)).librariesNear;
    // Expected distances computed independently (Python haversine, R = 6371.0088 km).
    expect(res.map((r: { library: { name: string } }) => r.library.name)).toEqual(['Shivajinagar', 'Kothrud']);
    expect(res[0].distanceKm).toBeCloseTo(1.509, 2);
    expect(res[1].distanceKm).toBeCloseTo(5.365, 2);
    expect(res[0].library.amenities).toEqual(['wifi', 'ac']);
    const far = (await sys.ok(NEAR, { lat: 18.5204, lng: 73.8567, r: 200 }, o)).librariesNear;
    expect(far.map((r: { library: { name: string } }) => r.library.name)).toEqual(['Shivajinagar', 'Kothrud', 'Corner', 'Mumbai']);
    expect(far[3].distanceKm).toBeCloseTo(120.15, 1);
    expect(far[2].distanceKm).toBeCloseTo(14.0, 1);
  });

  it('handles the antimeridian', async () => {
    const t = await sys.createTenant('geo-date', { plan: 'professional' });
    await sys.ok(CREATE_LIB, lib('Fiji east', { latitude: -17.8, longitude: -179.9 }), { token: t.ownerToken });
    const res = (await sys.ok(NEAR, { lat: -17.8, lng: 179.9, r: 50 }, { token: t.ownerToken })).librariesNear;
    expect(res).toHaveLength(1);
    expect(res[0].distanceKm).toBeCloseTo(21.2, 0);
  });

  it('rejects out-of-range coordinates and radius, writing nothing', async () => {
    const t = await sys.createTenant('geo-bad', { plan: 'professional' });
    for (const extra of [{ latitude: 91, longitude: 0 }, { latitude: 0, longitude: -181 }, { latitude: 10 }, { amenities: ['x'.repeat(51)] }]) {
      expect(code(await sys.gql(CREATE_LIB, lib('Bad', extra), { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
    expect(await tenantDb(t).collection('libraries').countDocuments()).toBe(0);
    for (const v of [
      { lat: 95, lng: 0, r: 5 },
      { lat: 0, lng: 200, r: 5 },
      { lat: 0, lng: 0, r: 0 },
      { lat: 0, lng: 0, r: 501 },
    ]) {
      expect(code(await sys.gql(NEAR, v, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
  });

  it("only searches the caller's tenant; needs libraries:read", async () => {
    const a = await sys.createTenant('geo-iso-a');
    const b = await sys.createTenant('geo-iso-b');
    await sys.ok(CREATE_LIB, lib('A near', { latitude: 10, longitude: 10 }), { token: a.ownerToken });
    expect((await sys.ok(NEAR, { lat: 10, lng: 10, r: 5 }, { token: b.ownerToken, tenant: a.slug })).librariesNear).toEqual([]);
    expect(code(await sys.gql(NEAR, { lat: 10, lng: 10, r: 5 }))).toBe('UNAUTHENTICATED');
  });
});

describe('staff management', () => {
  const UPDATE = `mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { id name role status grant revoke } }`;
  const users = (t: TestTenant) => tenantDb(t).collection('users');
  async function staff(t: TestTenant) {
    const email = `s${Math.random().toString(36).slice(2, 8)}@${t.slug}.test`;
    const id = (
      await sys.ok(
        `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
        { i: { email, name: 'S', password: TEST_PASSWORD, role: 'staff' } },
        { token: t.ownerToken },
      )
    ).createUser.id;
    return { id, email };
  }

  it('owner grants and revokes permissions; they apply from the next token', async () => {
    const t = await sys.createTenant('staff-prm', { plan: 'professional' });
    const s = await staff(t);
    const before = await sys.login(s.email, TEST_PASSWORD, t.slug);
    expect(code(await sys.gql(`{ users { email } }`, {}, { token: before.accessToken }))).toBe('FORBIDDEN');
    const res = (await sys.ok(UPDATE, { id: s.id, i: { name: 'Sam', grant: ['users:read'], revoke: ['libraries:read'] } }, { token: t.ownerToken })).updateUser;
    expect(res).toMatchObject({ name: 'Sam', role: 'staff', status: 'active', grant: ['users:read'], revoke: ['libraries:read'] });
    const { accessToken, refreshToken } = await sys.login(s.email, TEST_PASSWORD, t.slug);
    const me = (await sys.ok(`{ me { permissions } }`, {}, { token: accessToken })).me.permissions;
    expect(me).toContain('users:read');
    expect(me).not.toContain('libraries:read');
    // The shield applies the overrides: a granted permission opens a field, a revoked one closes it.
    expect((await sys.ok(`{ users { email } }`, {}, { token: accessToken })).users.length).toBeGreaterThan(0);
    expect(code(await sys.gql(`{ libraries { id } }`, {}, { token: accessToken }))).toBe('FORBIDDEN');
    // Role change applies at refresh.
    await sys.ok(UPDATE, { id: s.id, i: { role: 'manager', grant: [], revoke: [] } }, { token: t.ownerToken });
    const next = (await sys.ok(`mutation($t: String!) { refreshToken(token: $t) { accessToken role } }`, { t: refreshToken })).refreshToken;
    expect(next.role).toBe('manager');
    expect((await sys.ok(`{ me { permissions } }`, {}, { token: next.accessToken })).me.permissions).toContain('bookings:write');
  });

  it('disableUser blocks login and refresh at once', async () => {
    const t = await sys.createTenant('staff-dis', { plan: 'professional' });
    const s = await staff(t);
    const { refreshToken } = await sys.login(s.email, TEST_PASSWORD, t.slug);
    expect((await sys.ok(`mutation($id: ID!) { disableUser(id: $id) { status } }`, { id: s.id }, { token: t.ownerToken })).disableUser.status).toBe('disabled');
    expect(code(await sys.gql(`mutation($t: String!) { refreshToken(token: $t) { accessToken } }`, { t: refreshToken }))).toBe('UNAUTHENTICATED');
    const login = await sys.gql(`mutation($i: LoginInput!) { login(input: $i) { accessToken } }`, {
      i: { email: s.email, password: TEST_PASSWORD, tenant: t.slug },
    });
    expect(code(login)).toBe('UNAUTHENTICATED');
  });

  it('denies managers and staff, self-changes and bad input; nothing written', async () => {
    const t = await sys.createTenant('staff-deny', { plan: 'professional' });
    const s = await staff(t);
    const before = await users(t).find().sort({ email: 1 }).toArray();
    for (const role of ['manager', 'staff'] as const) {
      const token = await sys.userToken(t, role);
      expect(code(await sys.gql(UPDATE, { id: s.id, i: { grant: ['payments:refund'] } }, { token }))).toBe('FORBIDDEN');
      expect(code(await sys.gql(`mutation($id: ID!) { disableUser(id: $id) { id } }`, { id: s.id }, { token }))).toBe('FORBIDDEN');
    }
    const ownerId = before.find((u) => u.role === 'owner')!._id.toHexString();
    for (const [id, i] of [
      [s.id, { grant: ['tenants:create'] }],
      [s.id, { revoke: ['nonsense'] }],
      [s.id, { role: 'super_admin' }],
      [s.id, { status: 'deleted' }],
      [s.id, { name: 'x'.repeat(101) }],
      ['bad-id', { name: 'x' }],
      [ownerId, { role: 'staff' }],
    ] as const) {
      expect(code(await sys.gql(UPDATE, { id, i }, { token: t.ownerToken }))).toBe('BAD_USER_INPUT');
    }
    const after = await users(t)
      .find({ _id: { $in: before.map((u) => u._id) } })
      .sort({ email: 1 })
      .toArray();
    expect(after).toEqual(before);
  });

  it("tenant B cannot update or disable tenant A's staff", async () => {
    const a = await sys.createTenant('staff-iso-a', { plan: 'professional' });
    const b = await sys.createTenant('staff-iso-b', { plan: 'professional' });
    const s = await staff(a);
    expect(code(await sys.gql(UPDATE, { id: s.id, i: { name: 'pwned' } }, { token: b.ownerToken, tenant: a.slug }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(`mutation($id: ID!) { disableUser(id: $id) { id } }`, { id: s.id }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    expect(await users(a).findOne({ email: s.email })).toMatchObject({ name: 'S', status: 'active' });
  });

  it('createPlatformUser is for super_admin only', async () => {
    const PLATFORM = `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id role } }`;
    const i = { email: 'support1@studyspot.test', name: 'Support', password: TEST_PASSWORD, role: 'support' };
    const t = await sys.createTenant('staff-plat');
    expect(code(await sys.gql(PLATFORM, { i }, { token: t.ownerToken }))).toBe('FORBIDDEN');
    await upsertPlatformUser(sys.db, { email: 'admin2@studyspot.test', name: 'A', password: TEST_PASSWORD, role: 'admin' });
    expect(code(await sys.gql(PLATFORM, { i }, { token: (await sys.login('admin2@studyspot.test', TEST_PASSWORD)).accessToken }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(PLATFORM, { i: { ...i, role: 'owner' } }, { token: sys.superToken }))).toBe('BAD_USER_INPUT');
    expect(await sys.db.platform().collection('platform_users').countDocuments({ email: i.email })).toBe(0);
    expect((await sys.ok(PLATFORM, { i }, { token: sys.superToken })).createPlatformUser.role).toBe('support');
    expect((await sys.ok(`{ me { role } }`, {}, { token: (await sys.login(i.email, TEST_PASSWORD)).accessToken })).me.role).toBe('support');
  });
});
