import { startSystem, type System } from './helpers/system';

/**
 * A page of leads with their notes, tasks and stage history costs one query per
 * collection, not one per lead (core/store/group-loader.ts, crm/lead.loader.ts), and
 * each lead still gets exactly its own. Own system: counts the subgraphs' commands.
 */
let sys: System;
const run = Date.now().toString(36);
const city = `Nagpur-${run}`;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(() => sys?.stop());

const LEAD_PARTS: unknown[] = ['crm_lead_notes', 'crm_lead_tasks', 'crm_lead_stage_claims'];
const LIST = `query($f: LeadFilter, $n: Int) { leads(filter: $f, first: $n) { leads { id businessName
  notes { text } tasks { title } stageHistory { from to } } } }`;

it('lists 6 leads with notes, tasks and stage history in one query per collection, each lead with its own', async () => {
  const admin = { token: sys.superToken };
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const lead = (
      await sys.ok(
        `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`,
        {
          i: {
            source: 'WEBSITE',
            contactName: `Owner ${i}`,
            phone: `+91987654${3200 + i}`,
            city,
            businessName: `Lib ${i} ${run}`,
            libraries: 1,
            expectedSeats: 40,
          },
        },
        admin,
      )
    ).createLead.id as string;
    ids.push(lead);
    for (let n = 0; n < i % 3; n++)
      await sys.ok(`mutation($id: ID!, $t: String!) { addLeadNote(id: $id, text: $t) { id } }`, { id: lead, t: `note ${i}.${n}` }, admin);
    if (i % 2) {
      await sys.ok(
        `mutation($i: AddLeadTaskInput!) { addLeadTask(input: $i) { id } }`,
        { i: { leadId: lead, title: `call ${i}`, dueAt: new Date(Date.now() + 3_600_000) } },
        admin,
      );
      await sys.ok(`mutation($i: MoveLeadStageInput!) { moveLeadStage(input: $i) { id } }`, { i: { id: lead, stage: 'CONTACTED' } }, admin);
    }
  }
  const counts = new Map<string, number>();
  // Reads by lead (the due-task reminder job may read crm_lead_tasks by due date meanwhile: not counted).
  const off = sys.db.onCommand((e) => {
    const coll = e.command[e.commandName];
    const filter = (e.command.filter ?? {}) as Record<string, unknown>;
    const byLead = 'leadId' in filter || '$or' in filter || '_id' in filter;
    if (e.commandName === 'find' && LEAD_PARTS.includes(coll) && byLead) counts.set(coll, (counts.get(coll) ?? 0) + 1);
  });
  let leads: { id: string; businessName: string; notes: { text: string }[]; tasks: { title: string }[]; stageHistory: { from: string; to: string }[] }[];
  try {
    leads = (await sys.ok(LIST, { f: { city }, n: 10 }, admin)).leads.leads;
  } finally {
    off();
  }
  expect(leads).toHaveLength(6);
  expect(Object.fromEntries(counts)).toEqual({ crm_lead_notes: 1, crm_lead_tasks: 1, crm_lead_stage_claims: 1 });
  for (const lead of leads) {
    const i = ids.indexOf(lead.id);
    expect(lead.businessName).toBe(`Lib ${i} ${run}`);
    expect(lead.notes.filter((n) => n.text.startsWith('note')).map((n) => n.text)).toEqual([...Array(i % 3).keys()].map((n) => `note ${i}.${n}`));
    expect(lead.tasks.map((t) => t.title)).toEqual(i % 2 ? [`call ${i}`] : []);
    expect(lead.stageHistory).toEqual(i % 2 ? [{ from: 'NEW', to: 'CONTACTED' }] : []);
  }
});

it('a later mutation of the same operation reads what an earlier one wrote (the loaders are cleared on write)', async () => {
  const admin = { token: sys.superToken };
  const lead = (
    await sys.ok(
      `mutation($i: CreateLeadInput!) { createLead(input: $i) { id } }`,
      { i: { source: 'REFERRAL', contactName: 'Two Notes', phone: '+919876500001', city, businessName: `Twice ${run}`, libraries: 1, expectedSeats: 20 } },
      admin,
    )
  ).createLead.id as string;
  const both = await sys.ok(
    `mutation($id: ID!, $d: DateTimeISO!) {
      a: addLeadNote(id: $id, text: "first") { notes { text } }
      b: addLeadNote(id: $id, text: "second") { notes { text } }
      t1: addLeadTask(input: { leadId: $id, title: "call", dueAt: $d }) { id }
      m: moveLeadStage(input: { id: $id, stage: CONTACTED }) { tasks { title } stageHistory { to } }
    }`,
    { id: lead, d: new Date(Date.now() + 3_600_000) },
    admin,
  );
  const texts = (r: { notes: { text: string }[] }) => r.notes.map((n) => n.text).filter((t) => t === 'first' || t === 'second');
  expect(texts(both.a)).toEqual(['first']);
  expect(texts(both.b)).toEqual(['first', 'second']);
  expect(both.m).toEqual({ tasks: [{ title: 'call' }], stageHistory: [{ to: 'CONTACTED' }] });
});
