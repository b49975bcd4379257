import { Types } from 'mongoose';
import { TEST_PASSWORD, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

/**
 * Issue 18 item 3: a WON lead becomes a provisioned tenant in one step (once, under races
 * and after a crash), and every stage move is kept in the lead's history — through the gateway.
 */
let sys: SharedSystem;
let t: TestTenant;
let adminToken: string;
let adminId: string;
let supportToken: string;
const run = Date.now().toString(36);
let n = 0;

type Res = { errors?: { extensions?: Record<string, unknown> }[] };
const codes = (r: Res) => (r.errors ?? []).map((e) => e.extensions?.code);
const field = (r: Res) => r.errors?.[0]?.extensions?.field;

const CREATE = `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`;
const MOVE = `mutation($i: MoveLeadStageInput!) { moveLeadStage(input: $i) { id stage stageChangedAt stageChangedBy } }`;
const CONVERT = `mutation($id: ID!, $i: ConvertLeadInput!) { convertLead(id: $id, input: $i) { id slug name plan status } }`;
const ONE = `query($id: ID!) { lead(id: $id) { id stage tenantId convertedAt convertedBy stageChangedAt stageChangedBy
  tenant { id slug } stageHistory { from to by at } } }`;

const platform = () => sys.db.platform();

async function wonLead(over: Record<string, unknown> = {}) {
  n += 1;
  const i = {
    source: 'REFERRAL',
    contactName: 'Asha Rao',
    phone: '+919812345678',
    email: `asha-${run}-${n}@example.test`,
    city: 'Mysuru',
    businessName: `Quiet Corner Library ${run} ${n}`,
    ...over,
  };
  const id = (await sys.ok(CREATE, { i }, { token: adminToken })).createLead.id as string;
  for (const stage of ['CONTACTED', 'DEMO', 'WON']) await sys.ok(MOVE, { i: { id, stage } }, { token: adminToken });
  return { id, ...i };
}

/** What a conversion call that died leaves behind: its attempt claim (taken at `at`), optionally marked failed. */
async function leftAttempt(lead: Awaited<ReturnType<typeof wonLead>>, slug: string, at: Date, opts: { failed?: boolean } = {}) {
  await platform()
    .collection('crm_lead_conversions')
    .insertOne({
      _id: `${lead.id}:1`,
      leadId: lead.id,
      attempt: 1,
      slug,
      name: lead.businessName,
      plan: 'free',
      ownerEmail: lead.email,
      ownerName: lead.contactName,
      by: adminId,
      firstAt: at,
      createdAt: at,
      ...(opts.failed ? { failedAt: at } : {}),
    } as never);
}

beforeAll(async () => {
  sys = await sharedSystem();
  t = await sys.createTenant(`crmconv-${run}`);
  const email = `conv-admin-${run}@studyspot.test`;
  const made = await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email, name: 'Sales', password: TEST_PASSWORD, role: 'admin' } },
    { token: sys.superToken },
  );
  adminId = made.createPlatformUser.id;
  adminToken = (await sys.login(email, TEST_PASSWORD)).accessToken;
  const sEmail = `conv-support-${run}@studyspot.test`;
  await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email: sEmail, name: 'Support', password: TEST_PASSWORD, role: 'support' } },
    { token: sys.superToken },
  );
  supportToken = (await sys.login(sEmail, TEST_PASSWORD)).accessToken;
});
afterAll(() => sys?.stop());

describe('convertLead', () => {
  it('turns a WON lead into a tenant whose owner logs in; a second call answers the same tenant', async () => {
    const lead = await wonLead();
    const tenant = (await sys.ok(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD, plan: 'starter' } }, { token: adminToken })).convertLead;
    expect(tenant).toMatchObject({ name: lead.businessName, plan: 'starter', status: 'ACTIVE' });
    expect(tenant.slug).toMatch(new RegExp(`^quiet-corner-library-.*-${lead.id.slice(-6)}$`));
    expect(tenant.slug.length).toBeLessThanOrEqual(30);

    // The lead's contact is the owner: logs in to the new tenant and reads it.
    const owner = (await sys.login(lead.email, TEST_PASSWORD, tenant.slug)).accessToken;
    const me = await sys.ok(`{ tenant { id slug } me { user { email name role } } }`, {}, { token: owner });
    expect(me.tenant).toEqual({ id: tenant.id, slug: tenant.slug });
    expect(me.me.user).toEqual({ email: lead.email, name: 'Asha Rao', role: 'owner' });

    const again = (await sys.ok(CONVERT, { id: lead.id, i: { ownerPassword: 'another-password-123' } }, { token: adminToken })).convertLead;
    expect(again.id).toBe(tenant.id);
    const stored = (await sys.ok(ONE, { id: lead.id }, { token: supportToken })).lead;
    expect(stored).toMatchObject({ tenantId: tenant.id, convertedBy: adminId, tenant: { id: tenant.id, slug: tenant.slug } });
    expect(new Date(stored.convertedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(await platform().collection('tenants').countDocuments({ name: lead.businessName })).toBe(1);
  });

  it('racing conversions of one lead provision exactly one tenant with one owner', async () => {
    const lead = await wonLead();
    const results = await Promise.all([1, 2, 3, 4].map(() => sys.gql(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }, { token: adminToken })));
    for (const r of results) expect(r.errors).toBeUndefined();
    const ids = new Set(results.map((r) => r.data.convertLead.id));
    expect(ids.size).toBe(1);
    const tenants = await platform().collection('tenants').find({ name: lead.businessName }).toArray();
    expect(tenants.map((x) => x._id.toHexString())).toEqual([...ids]);
    const users = sys.db.tenant(tenants[0].dbName as string).collection('users');
    expect(await users.countDocuments({ role: 'owner' })).toBe(1);
    expect(await platform().collection('crm_lead_conversions').countDocuments({ leadId: lead.id })).toBe(1);
  });

  it('a retry after a crash adopts the provisioned tenant instead of making a second one', async () => {
    const lead = await wonLead();
    const slug = `crash-${run}-a`;
    // The crashed call took its attempt and provisioned, but never recorded the tenant on the lead.
    await leftAttempt(lead, slug, new Date());
    const made = (
      await sys.ok(
        `mutation($i: CreateTenantInput!) { createTenant(input: $i) { id } }`,
        { i: { name: lead.businessName, slug, owner: { email: lead.email, name: lead.contactName, password: TEST_PASSWORD } } },
        { token: adminToken },
      )
    ).createTenant;
    const converted = (await sys.ok(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD, slug: `other-${run}` } }, { token: adminToken })).convertLead;
    expect(converted).toMatchObject({ id: made.id, slug });
    expect(await platform().collection('tenants').countDocuments({ name: lead.businessName })).toBe(1);
    expect((await sys.ok(ONE, { id: lead.id }, { token: adminToken })).lead.tenantId).toBe(made.id);
  });

  it('a retry after a crash before provisioning resumes the stale attempt with its slug', async () => {
    const lead = await wonLead();
    const slug = `crash-${run}-b`;
    const long = new Date(Date.now() - 10 * 60_000);
    await leftAttempt(lead, slug, long);
    const results = await Promise.all([1, 2].map(() => sys.gql(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }, { token: adminToken })));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(results.map((r) => r.data.convertLead.slug)).toEqual([slug, slug]);
    expect(await platform().collection('tenants').countDocuments({ name: lead.businessName })).toBe(1);
    expect(await platform().collection('crm_lead_conversions').countDocuments({ leadId: lead.id })).toBe(2);
    expect((await sys.login(lead.email, TEST_PASSWORD, slug)).accessToken).toBeTruthy();
  });

  it('an attempt whose provisioning failed is resumed by the next call at once, not after it goes stale', async () => {
    const lead = await wonLead();
    const slug = `failed-${run}`;
    await leftAttempt(lead, slug, new Date(), { failed: true });
    const started = Date.now();
    const converted = (await sys.ok(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }, { token: adminToken })).convertLead;
    expect(converted.slug).toBe(slug);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await platform().collection('crm_lead_conversions').countDocuments({ leadId: lead.id })).toBe(2);
  });

  it('refuses leads that are not WON, a lead without an e-mail, a taken slug — and writes nothing', async () => {
    const fresh = (
      await sys.ok(CREATE, { i: { source: 'CALL', contactName: 'X', phone: '+919800000000', city: 'Goa', businessName: `New ${run}` } }, { token: adminToken })
    ).createLead.id;
    const r1 = await sys.gql(CONVERT, { id: fresh, i: { ownerPassword: TEST_PASSWORD, ownerEmail: 'x@example.test' } }, { token: adminToken });
    expect(codes(r1)).toEqual(['BAD_USER_INPUT']);
    expect(field(r1)).toBe('id');
    await sys.ok(MOVE, { i: { id: fresh, stage: 'LOST', lostReason: 'No budget' } }, { token: adminToken });
    const r2 = await sys.gql(CONVERT, { id: fresh, i: { ownerPassword: TEST_PASSWORD, ownerEmail: 'x@example.test' } }, { token: adminToken });
    expect(codes(r2)).toEqual(['BAD_USER_INPUT']);

    const noMail = await wonLead({ email: null });
    const r3 = await sys.gql(CONVERT, { id: noMail.id, i: { ownerPassword: TEST_PASSWORD } }, { token: adminToken });
    expect(codes(r3)).toEqual(['BAD_USER_INPUT']);
    expect(field(r3)).toBe('input.ownerEmail');
    const r4 = await sys.gql(
      CONVERT,
      { id: noMail.id, i: { ownerPassword: TEST_PASSWORD, ownerEmail: 'o@example.test', slug: t.slug } },
      { token: adminToken },
    );
    expect(codes(r4)).toEqual(['CONFLICT']);
    expect(field(r4)).toBe('input.slug');
    const r5 = await sys.gql(CONVERT, { id: noMail.id, i: { ownerPassword: 'short' } }, { token: adminToken });
    expect(codes(r5)).toEqual(['BAD_USER_INPUT']);
    const missing = await sys.gql(CONVERT, { id: new Types.ObjectId().toHexString(), i: { ownerPassword: TEST_PASSWORD } }, { token: adminToken });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(
      await platform()
        .collection('crm_lead_conversions')
        .countDocuments({ leadId: { $in: [fresh, noMail.id] } }),
    ).toBe(0);
    expect(
      await platform()
        .collection('crm_leads')
        .countDocuments({ _id: { $in: [fresh, noMail.id].map((x) => new Types.ObjectId(x)) }, tenantId: { $exists: true } }),
    ).toBe(0);
    // With an owner e-mail it converts (the refused calls left nothing behind).
    const ok = (
      await sys.ok(
        CONVERT,
        { id: noMail.id, i: { ownerPassword: TEST_PASSWORD, ownerEmail: 'o@example.test', name: 'Renamed Library' } },
        { token: adminToken },
      )
    ).convertLead;
    expect(ok.name).toBe('Renamed Library');
  });

  it('support (crm:read only), tenant users and anonymous callers may not convert; tenant users never see CRM', async () => {
    const lead = await wonLead();
    expect(codes(await sys.gql(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }, { token: supportToken }))).toEqual(['FORBIDDEN']);
    const manager = await sys.userToken(t, 'manager');
    for (const token of [t.ownerToken, manager]) {
      expect(codes(await sys.gql(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }, { token }))).toEqual(['FORBIDDEN']);
      expect(codes(await sys.gql(ONE, { id: lead.id }, { token }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await sys.gql(CONVERT, { id: lead.id, i: { ownerPassword: TEST_PASSWORD } }))).toEqual(['UNAUTHENTICATED']);
    expect(await platform().collection('crm_lead_conversions').countDocuments({ leadId: lead.id })).toBe(0);
    // Lead is no federation entity: neither the gateway nor the tenant subgraph's `_entities` resolves it.
    const ENT = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Tenant { id } } }`;
    const r = { r: [{ __typename: 'Lead', id: lead.id }] };
    const viaGateway = await sys.gql(ENT, r, { token: t.ownerToken });
    expect(viaGateway.errors?.length).toBeGreaterThan(0);
    expect(viaGateway.data?._entities ?? null).toBeNull();
    const res = await fetch(sys.subgraphUrls.tenant, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.ownerToken}` },
      body: JSON.stringify({ query: ENT, variables: r }),
    });
    const direct = (await res.json()) as { data?: { _entities?: unknown[] } | null; errors?: unknown[] };
    expect(direct.errors?.length).toBeGreaterThan(0);
    expect(JSON.stringify(direct)).not.toContain(lead.businessName);
    expect(direct.data?._entities?.[0] ?? null).toBeNull();
  });
});

describe('stage history', () => {
  it('records every move with from, to, by and at, oldest first', async () => {
    const before = Date.now() - 1000;
    const id = (
      await sys.ok(
        CREATE,
        { i: { source: 'WEBSITE', contactName: 'Y', phone: '+919811111111', city: 'Agra', businessName: `Hist ${run}` } },
        { token: adminToken },
      )
    ).createLead.id;
    expect((await sys.ok(ONE, { id }, { token: adminToken })).lead).toMatchObject({ stageHistory: [], stageChangedAt: null, stageChangedBy: null });
    await sys.ok(MOVE, { i: { id, stage: 'CONTACTED' } }, { token: adminToken });
    await sys.ok(MOVE, { i: { id, stage: 'LOST', lostReason: 'Later' } }, { token: sys.superToken });
    await sys.ok(MOVE, { i: { id, stage: 'NEW' } }, { token: adminToken });
    const lead = (await sys.ok(ONE, { id }, { token: supportToken })).lead;
    const superId = (await sys.ok(`{ me { user { id } } }`, {}, { token: sys.superToken })).me.user.id;
    expect(lead.stageHistory.map((m: { from: string; to: string; by: string }) => [m.from, m.to, m.by])).toEqual([
      ['NEW', 'CONTACTED', adminId],
      ['CONTACTED', 'LOST', superId],
      ['LOST', 'NEW', adminId],
    ]);
    const ats = lead.stageHistory.map((m: { at: string }) => new Date(m.at).getTime());
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(ats[0]).toBeGreaterThan(before);
    expect(lead.stageChangedBy).toBe(adminId);
    expect(new Date(lead.stageChangedAt).getTime()).toBe(ats[2]);
  });

  it('the funnel counts the stages leads of the period ever reached', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const from = new Date();
    const mk = async (name: string) =>
      (
        await sys.ok(
          CREATE,
          { i: { source: 'EVENT', contactName: 'F', phone: '+919833333333', city: 'Agra', businessName: `${name} ${run}` } },
          { token: adminToken },
        )
      ).createLead.id as string;
    const a = await mk('Fa');
    for (const stage of ['CONTACTED', 'DEMO', 'WON']) await sys.ok(MOVE, { i: { id: a, stage } }, { token: adminToken });
    const b = await mk('Fb');
    await sys.ok(MOVE, { i: { id: b, stage: 'CONTACTED' } }, { token: adminToken });
    await sys.ok(MOVE, { i: { id: b, stage: 'LOST', lostReason: 'No' } }, { token: adminToken });
    await sys.ok(MOVE, { i: { id: b, stage: 'NEW' } }, { token: adminToken });
    await mk('Fc');
    const f = (
      await sys.ok(
        `query($f: DateTimeISO!, $t: DateTimeISO!) { leadFunnel(from: $f, to: $t) { total reached { stage count } byStage { stage count } } }`,
        { f: from, t: new Date(Date.now() + 1000) },
        { token: supportToken },
      )
    ).leadFunnel;
    expect(f.total).toBe(3);
    expect(f.byStage.map((s: { count: number }) => s.count)).toEqual([2, 0, 0, 0, 1, 0]);
    expect(f.reached).toEqual([
      { stage: 'NEW', count: 3 },
      { stage: 'CONTACTED', count: 2 },
      { stage: 'DEMO', count: 1 },
      { stage: 'TRIAL', count: 0 },
      { stage: 'WON', count: 1 },
      { stage: 'LOST', count: 1 },
    ]);
  });

  it('racing moves leave one history entry (the winner)', async () => {
    const id = (
      await sys.ok(
        CREATE,
        { i: { source: 'WEBSITE', contactName: 'Z', phone: '+919822222222', city: 'Agra', businessName: `Race ${run}` } },
        { token: adminToken },
      )
    ).createLead.id;
    const results = await Promise.all(
      ['CONTACTED', 'LOST', 'CONTACTED'].map((stage) => sys.gql(MOVE, { i: { id, stage, from: 'NEW', lostReason: 'x' } }, { token: adminToken })),
    );
    const winner = results.find((r) => !r.errors)!.data.moveLeadStage.stage;
    const lead = (await sys.ok(ONE, { id }, { token: adminToken })).lead;
    expect(lead.stageHistory.map((m: { from: string; to: string }) => [m.from, m.to])).toEqual([['NEW', winner]]);
  });
});
