import { Types } from 'mongoose';
import { rebuildTenantAnalytics } from '../cli/analytics';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { TEST_PASSWORD, type GqlResult, type TestTenant } from './helpers/client';

/**
 * Student analytics (issue 18): occupancy heat map, active/new students, retention
 * cohorts. History is written straight into the tenant database (as the services
 * would have) of a tenant without rollups, the first report builds the month documents from it, and the live
 * hooks (enrol, check-in, check-out through the gateway) keep them current.
 */
let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const conn = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const oid = (id: string) => new Types.ObjectId(id);
/** An instant given as IST wall-clock time (UTC+05:30). */
const ist = (local: string) => new Date(Date.parse(`${local}:00Z`) - 330 * 60_000);
const istNow = (d: Date) => new Date(d.getTime() + 330 * 60_000);

const HEATMAP = `query($f: String!, $t: String!, $l: ID) { occupancyHeatmap(from: $f, to: $t, libraryId: $l) {
  from to timezone checkIns weekdayDays checkInsByHour averagePresentByHour } }`;
const ACTIVITY = `query($f: String!, $t: String!, $g: ActivityGranularity, $l: ID) { studentActivity(from: $f, to: $t, granularity: $g, libraryId: $l) {
  period start end activeStudents newStudents } }`;
const RETENTION = `query($f: String!, $t: String!, $m: Int, $l: ID) { studentRetention(fromMonth: $f, toMonth: $t, months: $m, libraryId: $l) {
  month joined retained { monthsLater active rate complete } } }`;

async function library(t: TestTenant, name: string): Promise<string> {
  const res = await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 20 } }, { token: t.ownerToken });
  return res.createLibrary.id;
}

/** Students and visits as the services write them (day in IST, minutes at check-out). */
async function seedHistory(t: TestTenant, l1: string, l2: string) {
  const db = conn(t);
  const student = (name: string, lib: string, joined: string) => ({
    _id: new Types.ObjectId(),
    name,
    nameLower: name.toLowerCase(),
    phone: `+9190000${Math.floor(Math.random() * 1e5)}`,
    status: 'active',
    libraryId: oid(lib),
    joinedAt: ist(`${joined}T12:00`),
    createdAt: ist(`${joined}T12:00`),
  });
  const s = [student('S1', l1, '2025-01-10'), student('S2', l1, '2025-01-20'), student('S3', l1, '2025-02-05'), student('S4', l2, '2025-01-15')];
  await db.collection('students').insertMany(s);
  const visit = (i: number, from: string, to: string) => ({
    studentId: s[i]!._id,
    libraryId: s[i]!.libraryId,
    checkInAt: ist(from),
    checkOutAt: ist(to),
    openKey: `closed:${new Types.ObjectId().toHexString()}`,
    day: from.slice(0, 10),
    minutes: Math.round((ist(to).getTime() - ist(from).getTime()) / 60_000),
  });
  await db.collection('attendance').insertMany([
    visit(0, '2025-01-13T09:00', '2025-01-13T11:30'), // Monday
    visit(0, '2025-01-13T14:00', '2025-01-13T15:00'), // Monday again: one active student that day
    visit(0, '2025-02-03T09:15', '2025-02-03T10:15'), // Monday
    visit(0, '2025-03-04T18:00', '2025-03-04T19:00'), // Tuesday
    visit(1, '2025-01-14T09:30', '2025-01-14T10:00'), // Tuesday
    visit(1, '2025-02-20T23:30', '2025-02-21T00:30'), // Thursday into Friday
    visit(2, '2025-02-05T10:00', '2025-02-05T12:00'), // Wednesday
    visit(3, '2025-01-15T08:00', '2025-01-15T09:00'), // Wednesday, library 2
    visit(3, '2025-04-02T08:00', '2025-04-02T08:30'), // Wednesday, library 2
  ]);
}

type Heatmap = { checkInsByHour: number[][]; averagePresentByHour: number[][] };
/** The heat map at one weekday (1 = Monday) and hour, as the former cell shape for readable expectations. */
const cell = (h: Heatmap, weekday: number, hour: number) => ({
  weekday,
  hour,
  checkIns: h.checkInsByHour[weekday - 1]![hour],
  averagePresent: h.averagePresentByHour[weekday - 1]![hour],
});

describe('student analytics', () => {
  let a: TestTenant;
  let b: TestTenant;
  let l1: string;
  let l2: string;

  beforeAll(async () => {
    a = await sys.createTenant('ana-stu-a', { limits: { maxLibraries: 3, maxStudents: 50, maxStaff: 5 } });
    b = await sys.createTenant('ana-stu-b');
    [l1, l2] = [await library(a, 'North'), await library(a, 'South')];
    // A new tenant starts with its (empty) rollups built, so the live hooks count from its first event.
    for (const t of [a, b]) expect(await conn(t).collection('analytics_state').findOne({})).toMatchObject({ _id: 'rollups', version: 1 });
    // Tenant a plays one from before the analytics: history written straight into its database and no
    // rollups built, so its first report builds them (as migration 007 would).
    await seedHistory(a, l1, l2);
    await conn(a).collection('analytics_state').deleteMany({});
  });

  it('builds the occupancy heat map by weekday and hour in the tenant time zone', async () => {
    const res = (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-03-31' }, { token: a.ownerToken })).occupancyHeatmap;
    expect(res).toMatchObject({ from: '2025-01-01', to: '2025-03-31', timezone: 'Asia/Kolkata', checkIns: 8 });
    // 1 Jan 2025 is a Wednesday: 90 days are 12 weeks plus Wednesday..Monday.
    expect(res.weekdayDays).toEqual([13, 12, 13, 13, 13, 13, 13]);
    expect(res.checkInsByHour.map((row: number[]) => row.length)).toEqual([24, 24, 24, 24, 24, 24, 24]);
    expect(cell(res, 1, 0)).toEqual({ weekday: 1, hour: 0, checkIns: 0, averagePresent: 0 });
    // Monday 09:00: two check-ins; 60 + 45 minutes present over 13 Mondays.
    expect(cell(res, 1, 9)).toEqual({ weekday: 1, hour: 9, checkIns: 2, averagePresent: 0.13 });
    expect(cell(res, 1, 10)).toEqual({ weekday: 1, hour: 10, checkIns: 0, averagePresent: 0.1 });
    expect(cell(res, 1, 14)).toEqual({ weekday: 1, hour: 14, checkIns: 1, averagePresent: 0.08 });
    expect(cell(res, 2, 9)).toEqual({ weekday: 2, hour: 9, checkIns: 1, averagePresent: 0.04 });
    expect(cell(res, 2, 18)).toEqual({ weekday: 2, hour: 18, checkIns: 1, averagePresent: 0.08 });
    expect(cell(res, 3, 8)).toEqual({ weekday: 3, hour: 8, checkIns: 1, averagePresent: 0.08 });
    expect(cell(res, 3, 11)).toEqual({ weekday: 3, hour: 11, checkIns: 0, averagePresent: 0.08 });
    // The visit from Thursday 23:30 to Friday 00:30 is present in both hours, in IST (not UTC).
    expect(cell(res, 4, 23)).toEqual({ weekday: 4, hour: 23, checkIns: 1, averagePresent: 0.04 });
    expect(cell(res, 5, 0)).toEqual({ weekday: 5, hour: 0, checkIns: 0, averagePresent: 0.04 });
    expect(res.checkInsByHour.flat().reduce((n: number, c: number) => n + c, 0)).toBe(8);

    const south = (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-12-31', l: l2 }, { token: a.ownerToken })).occupancyHeatmap;
    expect(south.checkIns).toBe(2);
    expect(cell(south, 3, 8)!.checkIns).toBe(2);
  });

  it('counts active and new students per day, week and month', async () => {
    const months = (await sys.ok(ACTIVITY, { f: '2025-01-01', t: '2025-04-30', g: 'MONTH' }, { token: a.ownerToken })).studentActivity;
    expect(months).toEqual([
      { period: '2025-01', start: '2025-01-01', end: '2025-01-31', activeStudents: 3, newStudents: 3 },
      { period: '2025-02', start: '2025-02-01', end: '2025-02-28', activeStudents: 3, newStudents: 1 },
      { period: '2025-03', start: '2025-03-01', end: '2025-03-31', activeStudents: 1, newStudents: 0 },
      { period: '2025-04', start: '2025-04-01', end: '2025-04-30', activeStudents: 1, newStudents: 0 },
    ]);
    const weeks = (await sys.ok(ACTIVITY, { f: '2025-01-15', t: '2025-01-26', g: 'WEEK' }, { token: a.ownerToken })).studentActivity;
    expect(weeks).toEqual([
      { period: '2025-01-13', start: '2025-01-13', end: '2025-01-19', activeStudents: 3, newStudents: 1 },
      { period: '2025-01-20', start: '2025-01-20', end: '2025-01-26', activeStudents: 0, newStudents: 1 },
    ]);
    const days = (await sys.ok(ACTIVITY, { f: '2025-01-13', t: '2025-01-15' }, { token: a.ownerToken })).studentActivity;
    expect(days.map((d: { activeStudents: number; newStudents: number }) => [d.activeStudents, d.newStudents])).toEqual([
      [1, 0],
      [1, 0],
      [1, 1],
    ]);
    const north = (await sys.ok(ACTIVITY, { f: '2025-01-01', t: '2025-01-31', g: 'MONTH', l: l1 }, { token: a.ownerToken })).studentActivity;
    expect(north).toEqual([{ period: '2025-01', start: '2025-01-01', end: '2025-01-31', activeStudents: 2, newStudents: 2 }]);
  });

  it('follows monthly cohorts 1, 2 and 3 months after joining', async () => {
    const res = (await sys.ok(RETENTION, { f: '2025-01', t: '2025-02' }, { token: a.ownerToken })).studentRetention;
    expect(res).toEqual([
      {
        month: '2025-01',
        joined: 3,
        retained: [
          { monthsLater: 1, active: 2, rate: 0.6667, complete: true },
          { monthsLater: 2, active: 1, rate: 0.3333, complete: true },
          { monthsLater: 3, active: 1, rate: 0.3333, complete: true },
        ],
      },
      {
        month: '2025-02',
        joined: 1,
        retained: [
          { monthsLater: 1, active: 0, rate: 0, complete: true },
          { monthsLater: 2, active: 0, rate: 0, complete: true },
          { monthsLater: 3, active: 0, rate: 0, complete: true },
        ],
      },
    ]);
  });

  it('limits a branch manager to their libraries', async () => {
    const email = `south-manager@${a.slug}.test`;
    await sys.ok(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
      { i: { email, name: 'South Manager', password: TEST_PASSWORD, role: 'manager', libraryIds: [l2] } },
      { token: a.ownerToken },
    );
    const manager = { token: (await sys.login(email, TEST_PASSWORD, a.slug)).accessToken };
    const heat = (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-12-31' }, manager)).occupancyHeatmap;
    expect(heat.checkIns).toBe(2);
    expect(cell(heat, 3, 8).checkIns).toBe(2);
    const months = (await sys.ok(ACTIVITY, { f: '2025-01-01', t: '2025-02-28', g: 'MONTH' }, manager)).studentActivity;
    expect(months.map((m: { activeStudents: number; newStudents: number }) => [m.activeStudents, m.newStudents])).toEqual([
      [1, 1],
      [0, 0],
    ]);
    const cohorts = (await sys.ok(RETENTION, { f: '2025-01', t: '2025-01' }, manager)).studentRetention;
    expect(cohorts[0]).toMatchObject({ joined: 1, retained: [{ active: 0 }, { active: 0 }, { monthsLater: 3, active: 1, rate: 1 }] });
    const other = await sys.gql(HEATMAP, { f: '2025-01-01', t: '2025-12-31', l: l1 }, manager);
    expect(code(other)).toBe('FORBIDDEN');
  });

  it('packs closed months, and still counts a late increment to one of them', async () => {
    const rollups = conn(a).collection<{ _id: string; cw?: unknown; packed?: Record<string, string> }>('analytics_rollups');
    const before = await rollups.findOne({ _id: 'all|2025|w' });
    expect(before?.cw).toBeUndefined();
    expect(before?.packed?.cw_m01).toContain('w1.h09=1');
    // A check-out or check-in counted after its month was packed lands in the field again.
    const late = async (n: number) => {
      await rollups.updateOne({ _id: 'all|2025|w' }, { $inc: { 'cw.m01.w1.h09': n } });
      return (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-03-31' }, { token: a.ownerToken })).occupancyHeatmap;
    };
    expect(cell(await late(1), 1, 9).checkIns).toBe(3);
    const sealed = await rollups.findOne({ _id: 'all|2025|w' });
    expect(sealed?.cw).toEqual({});
    expect(sealed?.packed?.cw_m01).toContain('w1.h09=2');
    expect(cell(await late(-1), 1, 9).checkIns).toBe(2);
  });

  it('stays live: enrolment, check-ins and check-outs through the gateway count at once, as a rebuild would', async () => {
    const s5 = (
      await sys.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
        { i: { name: 'Live One', phone: '+919812345678', libraryId: l1 } },
        {
          token: a.ownerToken,
        },
      )
    ).createStudent.id;
    for (const m of ['checkIn', 'checkOut', 'checkIn']) await sys.ok(`mutation($s: ID!) { ${m}(studentId: $s) { id } }`, { s: s5 }, { token: a.ownerToken });
    const visits = await conn(a)
      .collection('attendance')
      .find({ studentId: oid(s5) })
      .toArray();
    const firstIn = istNow(visits[0]!.checkInAt as Date);
    const today = firstIn.toISOString().slice(0, 10);
    const weekday = ((firstIn.getUTCDay() + 6) % 7) + 1;

    const heat = (await sys.ok(HEATMAP, { f: today, t: today }, { token: a.ownerToken })).occupancyHeatmap;
    expect(heat.checkIns).toBe(2);
    expect(cell(heat, weekday, firstIn.getUTCHours())!.checkIns).toBeGreaterThanOrEqual(1);
    const day = (await sys.ok(ACTIVITY, { f: today, t: today }, { token: a.ownerToken })).studentActivity;
    expect(day).toEqual([{ period: today, start: today, end: today, activeStudents: 1, newStudents: 1 }]);
    const cohort = (await sys.ok(RETENTION, { f: today.slice(0, 7), t: today.slice(0, 7) }, { token: a.ownerToken })).studentRetention;
    expect(cohort).toEqual([{ month: today.slice(0, 7), joined: 1, retained: [] }]);

    // Rebuilt from students and attendance, the month documents read the same.
    const reads = [
      [RETENTION, { f: '2025-01', t: today.slice(0, 7) }],
      [HEATMAP, { f: '2025-01-01', t: '2025-12-31' }],
      [HEATMAP, { f: today, t: today }],
      [ACTIVITY, { f: today, t: today, g: 'WEEK' }],
      [ACTIVITY, { f: today, t: today, g: 'MONTH' }],
    ] as const;
    const before = await Promise.all(reads.map(([q, v]) => sys.ok(q, v, { token: a.ownerToken })));
    // The operator's rebuild (`studyspot tenant analytics-rebuild <slug>`).
    expect((await rebuildTenantAnalytics(sys.db, a.slug)).documents).toBeGreaterThan(10);
    expect(await Promise.all(reads.map(([q, v]) => sys.ok(q, v, { token: a.ownerToken })))).toEqual(before);
    expect(before[2].occupancyHeatmap).toEqual(heat);
    expect(before[4].studentActivity[0]).toMatchObject({ activeStudents: 1, newStudents: 1 });
  });

  it('counts concurrent enrolments and check-ins exactly', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
    const read = async () => {
      const heat = (await sys.ok(HEATMAP, { f: today, t: today }, { token: a.ownerToken })).occupancyHeatmap;
      const [day] = (await sys.ok(ACTIVITY, { f: today, t: today }, { token: a.ownerToken })).studentActivity;
      return { checkIns: heat.checkIns as number, active: day.activeStudents as number, joined: day.newStudents as number };
    };
    const before = await read();
    const ids = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const res = await sys.ok(
          `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
          { i: { name: `Rush ${i}`, phone: `+91981234570${i}`, libraryId: i % 2 ? l1 : l2 } },
          { token: a.ownerToken },
        );
        return res.createStudent.id as string;
      }),
    );
    await Promise.all(ids.map((s) => sys.ok(`mutation($s: ID!) { checkIn(studentId: $s) { id } }`, { s }, { token: a.ownerToken })));
    expect(await read()).toEqual({ checkIns: before.checkIns + 6, active: before.active + 6, joined: before.joined + 6 });
    const live = await read();
    await rebuildTenantAnalytics(sys.db, a.slug);
    expect(await read()).toEqual(live);
  });

  it('refuses the front desk, bad ranges and libraries outside the tenant data', async () => {
    const staff = await sys.userToken(a, 'staff');
    for (const [q, v] of [
      [HEATMAP, { f: '2025-01-01', t: '2025-01-31' }],
      [ACTIVITY, { f: '2025-01-01', t: '2025-01-31' }],
      [RETENTION, { f: '2025-01', t: '2025-02' }],
    ] as const) {
      const res = await sys.gql(q, v, { token: staff });
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.data).toBeNull();
    }
    expect(code(await sys.gql(HEATMAP, { f: '2025-02-01', t: '2025-01-01' }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(ACTIVITY, { f: '2024-01-01', t: '2025-06-01' }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(RETENTION, { f: '2025-01', t: '2025-02', m: 13 }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(RETENTION, { f: '2025-13', t: '2025-02' }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(code(await sys.gql(HEATMAP, { f: '2025-01-01', t: '2025-01-31', l: 'nope' }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
  });

  it('keeps tenants apart: another tenant sees none of it, even with this tenant’s library id', async () => {
    const heat = (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-03-31' }, { token: b.ownerToken })).occupancyHeatmap;
    expect(heat.checkIns).toBe(0);
    const viaId = (await sys.ok(HEATMAP, { f: '2025-01-01', t: '2025-03-31', l: l1 }, { token: b.ownerToken })).occupancyHeatmap;
    expect(viaId.checkIns).toBe(0);
    const months = (await sys.ok(ACTIVITY, { f: '2025-01-01', t: '2025-02-28', g: 'MONTH' }, { token: b.ownerToken })).studentActivity;
    expect(months.map((m: { activeStudents: number; newStudents: number }) => m.activeStudents + m.newStudents)).toEqual([0, 0]);
    const cohorts = (await sys.ok(RETENTION, { f: '2025-01', t: '2025-01' }, { token: b.ownerToken })).studentRetention;
    expect(cohorts[0].joined).toBe(0);
  });
});
