import { TEST_PASSWORD, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

/**
 * Issue 18 item 3: the platform's sales desk through the gateway — leads in the platform
 * database, the stage flow (one winner under races), owners among platform staff, notes,
 * lists with filters and cursors, the kanban, and platform-only permissions.
 */
let sys: SharedSystem;
let t: TestTenant;
let managerToken: string;
let adminToken: string;
let adminId: string;
let supportToken: string;
let supportId: string;
const run = Date.now().toString(36);
const city = `Pune-${run}`;

type Res = { errors?: { extensions?: Record<string, unknown> }[] };
const codes = (r: Res) => (r.errors ?? []).map((e) => e.extensions?.code);
const field = (r: Res) => r.errors?.[0]?.extensions?.field;

const LEAD = `id source contactName phone email city businessName libraries expectedSeats stage lostReason ownerId cursor notes { by text at } createdAt updatedAt`;
const CREATE = `mutation($i: CreateLeadInput!) { createLead(input: $i) { ${LEAD} } }`;
const UPDATE = `mutation($i: UpdateLeadInput!) { updateLead(input: $i) { ${LEAD} } }`;
const MOVE = `mutation($i: MoveLeadStageInput!) { moveLeadStage(input: $i) { id stage lostReason } }`;
const ASSIGN = `mutation($id: ID!, $o: ID!) { assignLead(id: $id, ownerId: $o) { id ownerId } }`;
const NOTE = `mutation($id: ID!, $t: String!) { addLeadNote(id: $id, text: $t) { id notes { by text } } }`;
const LIST = `query($f: LeadFilter, $n: Int, $a: String) { leads(filter: $f, first: $n, after: $a) { leads { id businessName stage } nextCursor } }`;
const ONE = `query($id: ID!) { lead(id: $id) { ${LEAD} } }`;
const TASK = `mutation($i: AddLeadTaskInput!) { addLeadTask(input: $i) { id leadId title dueAt assigneeId createdBy status doneAt doneBy } }`;
const DONE = `mutation($id: ID!) { completeLeadTask(id: $id) { id status doneAt doneBy } }`;
const DUE = `query($b: DateTimeISO, $a: ID, $n: Int) { leadTasksDue(before: $b, assigneeId: $a, first: $n) { id title dueAt } }`;
const FUNNEL = `query($f: DateTimeISO!, $t: DateTimeISO!) { leadFunnel(from: $f, to: $t) { total winRate byStage { stage count } bySource { source total winRate byStage { stage count } } } }`;
const BOARD = `query($f: LeadFilter, $n: Int) { leadBoard(filter: $f, first: $n) { stage count leads { id } } }`;

const input = (over: Record<string, unknown> = {}) => ({
  source: 'WEBSITE',
  contactName: 'Ravi Kumar',
  phone: '+919876543210',
  email: 'Ravi@Example.com',
  city,
  businessName: `Focus Library ${run}`,
  libraries: 2,
  expectedSeats: 120,
  ...over,
});

async function platformUser(role: 'admin' | 'support') {
  const email = `${role}-${run}@studyspot.test`;
  const r = await sys.ok(
    `mutation($i: CreatePlatformUserInput!) { createPlatformUser(input: $i) { id } }`,
    { i: { email, name: role, password: TEST_PASSWORD, role } },
    { token: sys.superToken },
  );
  return { id: r.createPlatformUser.id as string, token: (await sys.login(email, TEST_PASSWORD)).accessToken };
}

async function create(over: Record<string, unknown> = {}, token = sys.superToken) {
  return (await sys.ok(CREATE, { i: input(over) }, { token })).createLead;
}

beforeAll(async () => {
  sys = await sharedSystem();
  t = await sys.createTenant(`crm-${run}`);
  managerToken = await sys.userToken(t, 'manager');
  ({ id: adminId, token: adminToken } = await platformUser('admin'));
  ({ id: supportId, token: supportToken } = await platformUser('support'));
});
afterAll(() => sys?.stop());

describe('leads', () => {
  it('creates a lead in the platform database, owned by the caller, with a first note', async () => {
    const lead = await create({ note: 'Met at the expo' }, adminToken);
    expect(lead).toMatchObject({
      source: 'WEBSITE',
      stage: 'NEW',
      email: 'ravi@example.com',
      city,
      libraries: 2,
      expectedSeats: 120,
      ownerId: adminId,
      lostReason: null,
    });
    expect(lead.notes).toEqual([expect.objectContaining({ by: adminId, text: 'Met at the expo' })]);
    const stored = await sys.db.platform().collection('crm_leads').findOne({ businessName: lead.businessName });
    expect(stored?._id.toHexString()).toBe(lead.id);
    // Never in a tenant's database.
    expect(await sys.db.tenant(sys.db.tenantDbName(t.slug)).collection('crm_leads').countDocuments()).toBe(0);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const before = await sys.db.platform().collection('crm_leads').countDocuments();
    const cases: [Record<string, unknown>, string][] = [
      [{ phone: '12ab' }, 'phone'],
      [{ email: 'not-an-email' }, 'email'],
      [{ contactName: '' }, 'contactName'],
      [{ libraries: 0 }, 'libraries'],
      [{ expectedSeats: -1 }, 'expectedSeats'],
    ];
    for (const [over, name] of cases) {
      const r = await sys.gql(CREATE, { i: input(over) }, { token: sys.superToken });
      expect(codes(r)).toEqual(['BAD_USER_INPUT']);
      expect(String(field(r))).toContain(name);
    }
    const owner = await sys.gql(CREATE, { i: input({ ownerId: '0123456789abcdef01234567' }) }, { token: sys.superToken });
    expect(codes(owner)).toEqual(['BAD_USER_INPUT']);
    expect(field(owner)).toBe('input.ownerId');
    expect(await sys.db.platform().collection('crm_leads').countDocuments()).toBe(before);
  });

  it('updates the given fields only', async () => {
    const lead = await create();
    const updated = (await sys.ok(UPDATE, { i: { id: lead.id, expectedSeats: 200, city: 'Nagpur' } }, { token: adminToken })).updateLead;
    expect(updated).toMatchObject({ expectedSeats: 200, city: 'Nagpur', contactName: 'Ravi Kumar', libraries: 2 });
    const bad = await sys.gql(UPDATE, { i: { id: lead.id, phone: 'x' } }, { token: adminToken });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect((await sys.ok(ONE, { id: lead.id }, { token: adminToken })).lead.phone).toBe('+919876543210');
  });

  it('moves along the flow; a move the flow does not allow is BAD_USER_INPUT; LOST needs a reason', async () => {
    const lead = await create();
    const skip = await sys.gql(MOVE, { i: { id: lead.id, stage: 'WON' } }, { token: adminToken });
    expect(codes(skip)).toEqual(['BAD_USER_INPUT']);
    expect(field(skip)).toBe('input.stage');
    // Already there (a double submit): a lost race, not a bad move.
    const same = await sys.gql(MOVE, { i: { id: lead.id, stage: 'NEW' } }, { token: adminToken });
    expect(codes(same)).toEqual(['CONFLICT']);
    expect(field(same)).toBe('input.stage');
    for (const stage of ['CONTACTED', 'DEMO', 'TRIAL']) {
      expect((await sys.ok(MOVE, { i: { id: lead.id, stage } }, { token: adminToken })).moveLeadStage.stage).toBe(stage);
    }
    const noReason = await sys.gql(MOVE, { i: { id: lead.id, stage: 'LOST' } }, { token: adminToken });
    expect(field(noReason)).toBe('input.lostReason');
    const lost = (await sys.ok(MOVE, { i: { id: lead.id, stage: 'LOST', lostReason: 'Chose a competitor' } }, { token: adminToken })).moveLeadStage;
    expect(lost).toMatchObject({ stage: 'LOST', lostReason: 'Chose a competitor' });
    const reopened = (await sys.ok(MOVE, { i: { id: lead.id, stage: 'NEW' } }, { token: adminToken })).moveLeadStage;
    expect(reopened).toMatchObject({ stage: 'NEW', lostReason: null });
    const missing = await sys.gql(MOVE, { i: { id: '0123456789abcdef01234567', stage: 'CONTACTED' } }, { token: adminToken });
    expect(codes(missing)).toEqual(['NOT_FOUND']);
  });

  it('concurrent moves from one stage: exactly one wins, the others are CONFLICT', async () => {
    const lead = await create();
    await sys.ok(MOVE, { i: { id: lead.id, stage: 'CONTACTED' } }, { token: adminToken });
    const moves = [{ stage: 'DEMO' }, { stage: 'LOST', lostReason: 'No budget' }, { stage: 'DEMO' }, { stage: 'LOST', lostReason: 'Not reachable' }];
    const results = await Promise.all(moves.map((m) => sys.gql(MOVE, { i: { id: lead.id, from: 'CONTACTED', ...m } }, { token: adminToken })));
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => x.errors)) expect(codes(r)).toEqual(['CONFLICT']);
    const final = (await sys.ok(ONE, { id: lead.id }, { token: adminToken })).lead;
    expect(final.stage).toBe(winners[0].data.moveLeadStage.stage);
    // One claim per move taken: CONTACTED (1) and the winner (2).
    expect(
      await sys.db
        .platform()
        .collection<{ _id: string }>('crm_lead_stage_claims')
        .countDocuments({ _id: { $regex: `^${lead.id}:` } }),
    ).toBe(2);
    const stale = await sys.gql(MOVE, { i: { id: lead.id, from: 'CONTACTED', stage: 'DEMO' } }, { token: adminToken });
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(field(stale)).toBe('input.from');
  });

  it('assigns to platform staff only, and keeps notes append-only under concurrency', async () => {
    const lead = await create();
    expect((await sys.ok(ASSIGN, { id: lead.id, o: supportId }, { token: adminToken })).assignLead.ownerId).toBe(supportId);
    const tenantOwner = (await sys.ok(`{ me { user { id } } }`, {}, { token: t.ownerToken })).me.user.id;
    const r = await sys.gql(ASSIGN, { id: lead.id, o: tenantOwner }, { token: adminToken });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(field(r)).toBe('ownerId');
    await Promise.all(['one', 'two', 'three', 'four', 'five'].map((text) => sys.ok(NOTE, { id: lead.id, t: text }, { token: adminToken })));
    const notes = (await sys.ok(ONE, { id: lead.id }, { token: adminToken })).lead.notes;
    expect(notes.map((n: { text: string }) => n.text).sort()).toEqual(['five', 'four', 'one', 'three', 'two']);
    expect(notes.every((n: { by: string }) => n.by === adminId)).toBe(true);
    expect(codes(await sys.gql(NOTE, { id: lead.id, t: '' }, { token: adminToken }))).toEqual(['BAD_USER_INPUT']);
  });

  it('lists with filters and cursor pages; the board counts per stage', async () => {
    const fc = `Indore-${run}`;
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await create({ city: fc, source: i % 2 ? 'REFERRAL' : 'EVENT', businessName: `B${i}` }));
    await sys.ok(ASSIGN, { id: made[0].id, o: adminId }, { token: adminToken });
    await sys.ok(MOVE, { i: { id: made[1].id, stage: 'CONTACTED' } }, { token: adminToken });

    const page1 = (await sys.ok(LIST, { f: { city: fc.toUpperCase() }, n: 2 }, { token: supportToken })).leads;
    expect(page1.leads.map((l: { businessName: string }) => l.businessName)).toEqual(['B4', 'B3']);
    const page2 = (await sys.ok(LIST, { f: { city: fc }, n: 2, a: page1.nextCursor }, { token: supportToken })).leads;
    expect(page2.leads.map((l: { businessName: string }) => l.businessName)).toEqual(['B2', 'B1']);
    const page3 = (await sys.ok(LIST, { f: { city: fc }, n: 2, a: page2.nextCursor }, { token: supportToken })).leads;
    expect(page3.leads.map((l: { businessName: string }) => l.businessName)).toEqual(['B0']);
    expect(page3.nextCursor).toBeNull();

    const referral = (await sys.ok(LIST, { f: { city: fc, source: 'REFERRAL' } }, { token: supportToken })).leads.leads;
    expect(referral.map((l: { businessName: string }) => l.businessName)).toEqual(['B3', 'B1']);
    const contacted = (await sys.ok(LIST, { f: { city: fc, stage: 'CONTACTED' } }, { token: supportToken })).leads.leads;
    expect(contacted.map((l: { id: string }) => l.id)).toEqual([made[1].id]);
    const mine = (await sys.ok(LIST, { f: { city: fc, ownerId: adminId } }, { token: supportToken })).leads.leads;
    expect(mine.map((l: { id: string }) => l.id)).toEqual([made[0].id]);

    expect(codes(await sys.gql(LIST, { n: 500 }, { token: supportToken }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await sys.gql(LIST, { a: 'garbage' }, { token: supportToken }))).toEqual(['BAD_USER_INPUT']);

    const board = (await sys.ok(BOARD, { f: { city: fc }, n: 2 }, { token: supportToken })).leadBoard;
    expect(board.map((c: { stage: string }) => c.stage)).toEqual(['NEW', 'CONTACTED', 'DEMO', 'TRIAL', 'WON', 'LOST']);
    expect(board[0].count).toBe(4);
    expect(board[0].leads).toHaveLength(2);
    expect(board[1]).toEqual({ stage: 'CONTACTED', count: 1, leads: [{ id: made[1].id }] });
    expect(board[2].count).toBe(0);
  });
});

describe('follow-ups and the funnel', () => {
  it('adds tasks for platform staff, lists the due ones soonest first, completes each once', async () => {
    const lead = await create({}, adminToken);
    const base = Date.now() + 365 * 86_400_000; // far ahead: nothing else is due by then in this run
    const later = (await sys.ok(TASK, { i: { leadId: lead.id, title: 'Send quote', dueAt: new Date(base + 7200_000) } }, { token: adminToken })).addLeadTask;
    const soon = (
      await sys.ok(TASK, { i: { leadId: lead.id, title: 'Call back', dueAt: new Date(base + 3600_000), assigneeId: supportId } }, { token: adminToken })
    ).addLeadTask;
    expect(later).toMatchObject({ leadId: lead.id, assigneeId: adminId, createdBy: adminId, status: 'OPEN', doneAt: null });
    expect(soon.assigneeId).toBe(supportId);
    const bad = await sys.gql(TASK, { i: { leadId: lead.id, title: 'x', dueAt: new Date(), assigneeId: '0123456789abcdef01234567' } }, { token: adminToken });
    expect(field(bad)).toBe('input.assigneeId');
    expect(field(await sys.gql(TASK, { i: { leadId: lead.id, title: '', dueAt: new Date() } }, { token: adminToken }))).toContain('title');

    const due = (await sys.ok(DUE, { b: new Date(base + 7200_000) }, { token: supportToken })).leadTasksDue;
    const ours = due.filter((d: { id: string }) => [soon.id, later.id].includes(d.id)).map((d: { title: string }) => d.title);
    expect(ours).toEqual(['Call back', 'Send quote']);
    expect((await sys.ok(DUE, { b: new Date(base + 3600_000), a: supportId }, { token: supportToken })).leadTasksDue.map((d: { id: string }) => d.id)).toEqual([
      soon.id,
    ]);

    const results = await Promise.all([1, 2, 3].map(() => sys.gql(DONE, { id: soon.id }, { token: adminToken })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual(['CONFLICT', 'CONFLICT']);
    expect((await sys.ok(ONE.replace('createdAt updatedAt', 'tasks { id status doneBy }'), { id: lead.id }, { token: adminToken })).lead.tasks).toEqual([
      { id: soon.id, status: 'DONE', doneBy: adminId },
      { id: later.id, status: 'OPEN', doneBy: null },
    ]);
    expect((await sys.ok(DUE, { b: new Date(base + 3600_000), a: supportId }, { token: supportToken })).leadTasksDue).toEqual([]);
    expect(codes(await sys.gql(DONE, { id: soon.id }, { token: supportToken }))).toEqual(['FORBIDDEN']);
  });

  it('reports the funnel of a period by stage and source', async () => {
    await new Promise((r) => setTimeout(r, 20));
    const from = new Date();
    const won = await create({ source: 'REFERRAL' });
    for (const stage of ['CONTACTED', 'DEMO', 'WON']) await sys.ok(MOVE, { i: { id: won.id, stage } }, { token: adminToken });
    await create({ source: 'REFERRAL' });
    const lost = await create({ source: 'CALL' });
    await sys.ok(MOVE, { i: { id: lost.id, stage: 'LOST', lostReason: 'Too small' } }, { token: adminToken });
    const to = new Date(Date.now() + 1000);
    const f = (await sys.ok(FUNNEL, { f: from, t: to }, { token: supportToken })).leadFunnel;
    expect(f.total).toBe(3);
    expect(f.winRate).toBeCloseTo(1 / 3, 3);
    expect(f.byStage).toEqual([
      { stage: 'NEW', count: 1 },
      { stage: 'CONTACTED', count: 0 },
      { stage: 'DEMO', count: 0 },
      { stage: 'TRIAL', count: 0 },
      { stage: 'WON', count: 1 },
      { stage: 'LOST', count: 1 },
    ]);
    expect(f.bySource.map((s: { source: string; total: number; winRate: number }) => [s.source, s.total, s.winRate])).toEqual([
      ['REFERRAL', 2, 0.5],
      ['CALL', 1, 0],
    ]);
    const backwards = await sys.gql(FUNNEL, { f: to, t: from }, { token: supportToken });
    expect(codes(backwards)).toEqual(['BAD_USER_INPUT']);
    expect(field(backwards)).toBe('to');
    expect(codes(await sys.gql(FUNNEL, { f: new Date('2020-01-01'), t: new Date('2022-01-01') }, { token: supportToken }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('platform only', () => {
  it('tenant owners and managers are FORBIDDEN on every CRM operation', async () => {
    const lead = await create();
    const ops: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [`query($id: ID!) { lead(id: $id) { id } }`, { id: lead.id }],
      [BOARD, {}],
      [CREATE, { i: input() }],
      [UPDATE, { i: { id: lead.id, city: 'X' } }],
      [MOVE, { i: { id: lead.id, stage: 'CONTACTED' } }],
      [ASSIGN, { id: lead.id, o: adminId }],
      [NOTE, { id: lead.id, t: 'hi' }],
      [TASK, { i: { leadId: lead.id, title: 'x', dueAt: new Date() } }],
      [DONE, { id: lead.id }],
      [DUE, {}],
      [FUNNEL, { f: new Date(Date.now() - 86_400_000), t: new Date() }],
    ];
    for (const token of [t.ownerToken, managerToken]) {
      for (const [q, v] of ops) expect(codes(await sys.gql(q, v, { token }))).toEqual(['FORBIDDEN']);
    }
    const me = (await sys.ok(`{ me { permissions } }`, {}, { token: t.ownerToken })).me.permissions as string[];
    expect(me.filter((p) => p.startsWith('crm:'))).toEqual([]);
    expect((await sys.ok(ONE, { id: lead.id }, { token: adminToken })).lead).toMatchObject({ stage: 'NEW', city });
  });

  it('support reads but cannot write', async () => {
    const lead = await create();
    expect((await sys.ok(ONE, { id: lead.id }, { token: supportToken })).lead.id).toBe(lead.id);
    for (const [q, v] of [
      [CREATE, { i: input() }],
      [MOVE, { i: { id: lead.id, stage: 'CONTACTED' } }],
      [NOTE, { id: lead.id, t: 'hi' }],
      [ASSIGN, { id: lead.id, o: supportId }],
    ] as [string, Record<string, unknown>][]) {
      expect(codes(await sys.gql(q, v, { token: supportToken }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await sys.gql(LIST, {}))).toEqual(['UNAUTHENTICATED']);
  });
});
