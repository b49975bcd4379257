import { Types } from 'mongoose';
import { emitEvent } from '../core/events/outbox';
import { DOMAIN_CONSUMERS } from '../subgraphs/events';
import { startSystem, type GqlResult, type System, type TestTenant } from './helpers/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(() => sys?.stop());

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const col = (t: TestTenant, name: string) => sys.db.tenant(sys.db.tenantDbName(t.slug)).collection(name);
const DAY = 86_400_000;
const istDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(d);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until<T>(fn: () => Promise<T | null | undefined | false>, ms = 5000): Promise<T> {
  for (const end = Date.now() + ms; ; await sleep(50)) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out');
  }
}

const CREATE = `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`;
const CHECK_IN = `mutation($s: ID!) { checkIn(studentId: $s) { id } }`;
const CHECK_OUT = `mutation($s: ID!) { checkOut(studentId: $s) { id } }`;
const STATS = `query($f: String!, $t: String!, $l: ID) { attendanceStats(from: $f, to: $t, libraryId: $l) { day checkIns uniqueStudents totalMinutes } }`;
const STUDENT_DAYS = `query($s: ID!, $f: String!, $t: String!) { studentAttendance(studentId: $s, from: $f, to: $t) { day checkIns totalMinutes } }`;
const CHURN = `query($d: Int!, $l: ID, $n: Int) { churnRisk(days: $d, libraryId: $l, first: $n) { student { id name } lastCheckInAt daysInactive } }`;
const CODE = `query($s: ID!) { referralCode(studentId: $s) }`;
const REFERRALS = `query($s: ID) { referrals(studentId: $s) { code status convertedAt referrer { id } referee { id } reward { type amount } } }`;
const REF_STATS = `{ referralStats { codesIssued referrals conversions rewards rewardsTotal } }`;
const PAY = `mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id } }`;

async function library(t: TestTenant, name = 'Main'): Promise<string> {
  return (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 20 } }, { token: t.ownerToken }))
    .createLibrary.id;
}
let phone = 7000000000;
async function student(t: TestTenant, libraryId: string, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  return (await sys.ok(CREATE, { i: { name, phone: `+91${phone++}`, libraryId, ...extra } }, { token: t.ownerToken })).createStudent.id;
}
const visit = async (t: TestTenant, s: string, out = true) => {
  await sys.ok(CHECK_IN, { s }, { token: t.ownerToken });
  if (out) await sys.ok(CHECK_OUT, { s }, { token: t.ownerToken });
};

describe('attendance analytics', () => {
  it('reports per-day visits, distinct students and minutes in IST, backfilling legacy visits', async () => {
    const t = await sys.createTenant('an-att', { limits: { maxLibraries: 2, maxStudents: 20, maxStaff: 5 } });
    const [l1, l2] = [await library(t, 'One'), await library(t, 'Two')];
    const [a, b, c] = [await student(t, l1, 'Ann'), await student(t, l1, 'Bo'), await student(t, l2, 'Cy')];
    await visit(t, a);
    await visit(t, a);
    await visit(t, b, false);
    const today = istDay(new Date());
    const stored = await col(t, 'attendance')
      .find({ studentId: new Types.ObjectId(a) })
      .toArray();
    expect(stored.map((d) => [d.day, typeof d.minutes])).toEqual([
      [today, 'number'],
      [today, 'number'],
    ]);
    expect((await col(t, 'students').findOne({ _id: new Types.ObjectId(a) }))?.lastCheckInAt).toBeInstanceOf(Date);
    // Legacy visits without day/minutes: 09:30 IST on 10 March, and 01:30 IST on 11 March (still 10 March in UTC).
    const legacy = (at: string, mins: number) => ({
      studentId: new Types.ObjectId(c),
      libraryId: new Types.ObjectId(l2),
      checkInAt: new Date(at),
      checkOutAt: new Date(new Date(at).getTime() + mins * 60_000),
      openKey: `closed:${new Types.ObjectId().toHexString()}`,
    });
    await col(t, 'attendance').insertMany([legacy('2024-03-10T04:00:00Z', 90), legacy('2024-03-10T20:00:00Z', 30)]);

    const l1Today = (await sys.ok(STATS, { f: today, t: today, l: l1 }, { token: t.ownerToken })).attendanceStats;
    expect(l1Today).toEqual([{ day: today, checkIns: 3, uniqueStudents: 2, totalMinutes: 0 }]);
    const march = (await sys.ok(STATS, { f: '2024-03-09', t: '2024-03-11' }, { token: t.ownerToken })).attendanceStats;
    expect(march).toEqual([
      { day: '2024-03-09', checkIns: 0, uniqueStudents: 0, totalMinutes: 0 },
      { day: '2024-03-10', checkIns: 1, uniqueStudents: 1, totalMinutes: 90 },
      { day: '2024-03-11', checkIns: 1, uniqueStudents: 1, totalMinutes: 30 },
    ]);
    expect((await sys.ok(STATS, { f: '2024-03-10', t: '2024-03-10', l: l1 }, { token: t.ownerToken })).attendanceStats[0].checkIns).toBe(0);
    const cDays = (await sys.ok(STUDENT_DAYS, { s: c, f: '2024-03-10', t: '2024-03-11' }, { token: t.ownerToken })).studentAttendance;
    expect(cDays).toEqual([
      { day: '2024-03-10', checkIns: 1, totalMinutes: 90 },
      { day: '2024-03-11', checkIns: 1, totalMinutes: 30 },
    ]);

    // Front-desk staff may read attendance figures.
    const staff = await sys.userToken(t, 'staff');
    expect((await sys.ok(STATS, { f: today, t: today }, { token: staff })).attendanceStats[0].checkIns).toBe(3);
  });

  it('rejects bad ranges and ids with BAD_USER_INPUT and writes nothing', async () => {
    const t = await sys.createTenant('an-bad');
    const l = await library(t);
    const s = await student(t, l, 'Ann');
    const legacy = { studentId: new Types.ObjectId(s), libraryId: new Types.ObjectId(l), checkInAt: new Date(), checkOutAt: null, openKey: s };
    await col(t, 'attendance').insertOne(legacy);
    const cases: [string, Record<string, unknown>, string][] = [
      [STATS, { f: '2024-01-01', t: '2025-01-01' }, 'to'], // 367 days
      [STATS, { f: '2024-03-10', t: '2024-03-09' }, 'to'],
      [STATS, { f: '2024-02-30', t: '2024-03-09' }, 'from'],
      [STATS, { f: '2024-03-01', t: '2024-03-09', l: 'nope' }, 'libraryId'],
      [STUDENT_DAYS, { s: 'x', f: '2024-03-01', t: '2024-03-09' }, 'studentId'],
      [STUDENT_DAYS, { s, f: '2023-01-01', t: '2024-12-31' }, 'to'],
      [CHURN, { d: 0 }, 'days'],
      [CHURN, { d: 7, n: 500 }, 'first'],
    ];
    for (const [q, v, field] of cases) {
      const res = await sys.gql(q, v, { token: t.ownerToken });
      expect([code(res), res.errors?.[0]?.extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    // 366 days is allowed; the legacy visit was not touched by the refused calls.
    expect(await col(t, 'attendance').countDocuments({ day: null })).toBe(1);
    expect((await sys.ok(STATS, { f: '2024-01-01', t: '2024-12-31' }, { token: t.ownerToken })).attendanceStats).toHaveLength(366);
  });
});

describe('churn risk', () => {
  it('lists active students idle for N days (or never seen since joining), idlest first', async () => {
    const t = await sys.createTenant('an-churn', { limits: { maxLibraries: 2, maxStudents: 20, maxStaff: 5 } });
    const [l1, l2] = [await library(t, 'One'), await library(t, 'Two')];
    const [never, lapsed, fresh, recent, left, legacy, other] = await Promise.all(
      ['Never', 'Lapsed', 'Fresh', 'Recent', 'Left', 'Legacy', 'Other'].map((n, i) => student(t, i === 6 ? l2 : l1, n)),
    );
    for (const s of [lapsed, fresh]) await visit(t, s);
    const ago = (days: number) => new Date(Date.now() - days * DAY - 60_000);
    const set = (id: string, fields: Record<string, unknown>, unset?: Record<string, ''>) =>
      col(t, 'students').updateOne({ _id: new Types.ObjectId(id) }, { $set: fields, ...(unset ? { $unset: unset } : {}) });
    await set(never, { joinedAt: ago(10), activeAt: ago(10) });
    await set(lapsed, { joinedAt: ago(40), activeAt: ago(8), lastCheckInAt: ago(8) });
    await set(recent, { joinedAt: ago(2), activeAt: ago(2) });
    await set(left, { joinedAt: ago(30), activeAt: ago(30), status: 'left' });
    await set(other, { joinedAt: ago(9), activeAt: ago(9) });
    // Enrolled before activeAt existed: backfilled from joinedAt.
    await set(legacy, { joinedAt: ago(20) }, { activeAt: '' });

    const all = (await sys.ok(CHURN, { d: 7 }, { token: t.ownerToken })).churnRisk;
    expect(all.map((e: { student: { name: string }; daysInactive: number }) => [e.student.name, e.daysInactive])).toEqual([
      ['Legacy', 20],
      ['Never', 10],
      ['Other', 9],
      ['Lapsed', 8],
    ]);
    expect(all.find((e: { student: { id: string } }) => e.student.id === lapsed).lastCheckInAt).not.toBeNull();
    expect(all[1].lastCheckInAt).toBeNull();
    const inL1 = (await sys.ok(CHURN, { d: 7, l: l1, n: 2 }, { token: t.ownerToken })).churnRisk;
    expect(inL1.map((e: { student: { name: string } }) => e.student.name)).toEqual(['Legacy', 'Never']);
    // A check-in takes the student off the list.
    await visit(t, never);
    expect((await sys.ok(CHURN, { d: 7, l: l1 }, { token: t.ownerToken })).churnRisk).toHaveLength(2);

    const manager = await sys.userToken(t, 'manager');
    expect((await sys.ok(CHURN, { d: 7 }, { token: manager })).churnRisk).toHaveLength(3);
    const staff = await sys.userToken(t, 'staff');
    expect(code(await sys.gql(CHURN, { d: 7 }, { token: staff }))).toBe('FORBIDDEN');
  });
});

describe('referrals', () => {
  const referralOf = (t: TestTenant, referee: string) => col(t, 'referrals').findOne({ refereeId: new Types.ObjectId(referee) });

  it('issues one short code per student, records referrals at enrolment and converts them on the first payment', async () => {
    const t = await sys.createTenant('an-ref');
    const l = await library(t);
    const ann = await student(t, l, 'Ann');
    const [c1, c2] = await Promise.all([1, 2].map(async () => (await sys.ok(CODE, { s: ann }, { token: t.ownerToken })).referralCode));
    expect(c1).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);
    expect(c2).toBe(c1);
    expect(await col(t, 'referral_codes').countDocuments()).toBe(1);

    // Codes are typed at the desk: case and dashes do not matter.
    const typed = `${c1.slice(0, 4).toLowerCase()}-${c1.slice(4)}`;
    const bo = await student(t, l, 'Bo', { referralCode: typed });
    let list = (await sys.ok(REFERRALS, { s: ann }, { token: t.ownerToken })).referrals;
    expect(list).toEqual([{ code: c1, status: 'PENDING', convertedAt: null, referrer: { id: ann }, referee: { id: bo }, reward: null }]);

    await sys.ok(PAY, { i: { studentId: bo, amount: 150_000, method: 'CASH' } }, { token: t.ownerToken });
    await until(async () => (await referralOf(t, bo))?.status === 'converted');
    await sys.ok(PAY, { i: { studentId: bo, amount: 150_000, method: 'CASH' } }, { token: t.ownerToken });
    await sleep(200);
    list = (await sys.ok(REFERRALS, {}, { token: t.ownerToken })).referrals;
    expect(list[0]).toMatchObject({ status: 'CONVERTED', reward: { type: 'FEE_DISCOUNT', amount: 10_000 } });
    expect(list[0].convertedAt).not.toBeNull();
    expect(await col(t, 'referral_rewards').countDocuments()).toBe(1);

    // Per-tenant reward settings apply to later conversions.
    const settings = `mutation($i: StudentSettingsInput!) { updateStudentSettings(input: $i) { timezone referralRewardType referralRewardAmount } }`;
    expect(
      (await sys.ok(settings, { i: { referralRewardType: 'CASHBACK', referralRewardAmount: 25_000 } }, { token: t.ownerToken })).updateStudentSettings,
    ).toEqual({ timezone: 'Asia/Kolkata', referralRewardType: 'CASHBACK', referralRewardAmount: 25_000 });
    const cy = await student(t, l, 'Cy', { referralCode: c1 });
    await sys.ok(PAY, { i: { studentId: cy, amount: 50_000, method: 'UPI' } }, { token: t.ownerToken });
    await until(async () => (await referralOf(t, cy))?.status === 'converted');
    expect((await sys.ok(REF_STATS, {}, { token: t.ownerToken })).referralStats).toEqual({
      codesIssued: 1,
      referrals: 2,
      conversions: 2,
      rewards: 2,
      rewardsTotal: 35_000,
    });

    // Managers see the programme and its money; front-desk staff see neither.
    const manager = await sys.userToken(t, 'manager');
    expect((await sys.ok(REF_STATS, {}, { token: manager })).referralStats.rewardsTotal).toBe(35_000);
    const staff = await sys.userToken(t, 'staff');
    for (const q of [REF_STATS, REFERRALS]) expect(code(await sys.gql(q, {}, { token: staff }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(CODE, { s: ann }, { token: staff }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(settings, { i: { referralRewardAmount: 1 } }, { token: manager }))).toBe('FORBIDDEN');
  });

  it('refuses unknown, malformed and own codes with BAD_USER_INPUT and writes nothing', async () => {
    const t = await sys.createTenant('an-refbad');
    const l = await library(t);
    const ann = await student(t, l, 'Ann');
    const own = (await sys.ok(CODE, { s: ann }, { token: t.ownerToken })).referralCode;
    const annPhone = (await col(t, 'students').findOne({ _id: new Types.ObjectId(ann) }))?.phone;
    const cases = [
      { name: 'X', phone: '+919999900001', libraryId: l, referralCode: 'ZZZZ2222' },
      { name: 'X', phone: '+919999900002', libraryId: l, referralCode: '!!' },
      { name: 'Ann again', phone: annPhone, libraryId: l, referralCode: own },
    ];
    for (const i of cases) {
      const res = await sys.gql(CREATE, { i }, { token: t.ownerToken });
      expect([code(res), res.errors?.[0]?.message]).toEqual(['BAD_USER_INPUT', expect.stringContaining('referralCode')]);
    }
    const bad = await sys.gql(`mutation { updateStudentSettings(input: { timezone: "Mars/Olympus" }) { timezone } }`, {}, { token: t.ownerToken });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(await col(t, 'students').countDocuments()).toBe(1);
    expect(await col(t, 'referrals').countDocuments()).toBe(0);
    expect(await col(t, 'student_settings').countDocuments()).toBe(0);
    expect(await col(t, 'student_quotas').countDocuments()).toBe(1);
    // A student is referred at most once (unique referee).
    await expect(
      col(t, 'referrals').insertMany(
        [1, 2].map(() => ({ referrerId: new Types.ObjectId(), refereeId: new Types.ObjectId(ann), code: own, status: 'pending' })),
      ),
    ).rejects.toMatchObject({ code: 11000 });
  });

  it('keeps tenants apart', async () => {
    const a = await sys.createTenant('an-iso-a');
    const b = await sys.createTenant('an-iso-b');
    const [la, lb] = [await library(a), await library(b)];
    const ann = await student(a, la, 'Ann');
    const annCode = (await sys.ok(CODE, { s: ann }, { token: a.ownerToken })).referralCode;
    const bo = await student(a, la, 'Bo', { referralCode: annCode });
    await visit(a, ann);
    expect(code(await sys.gql(STUDENT_DAYS, { s: ann, f: '2024-01-01', t: '2024-01-02' }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    expect(code(await sys.gql(CODE, { s: ann }, { token: b.ownerToken }))).toBe('NOT_FOUND');
    const res = await sys.gql(CREATE, { i: { name: 'Cy', phone: '+919999900009', libraryId: lb, referralCode: annCode } }, { token: b.ownerToken });
    expect(code(res)).toBe('BAD_USER_INPUT');
    const today = istDay(new Date());
    expect((await sys.ok(STATS, { f: today, t: today }, { token: b.ownerToken })).attendanceStats[0].checkIns).toBe(0);
    expect((await sys.ok(REFERRALS, {}, { token: b.ownerToken })).referrals).toEqual([]);
    expect((await sys.ok(CHURN, { d: 1 }, { token: b.ownerToken })).churnRisk).toEqual([]);
    // A payment event naming tenant B converts nothing in A.
    await emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'payment.recorded', {
      tenantId: b.id,
      studentId: bo,
      paymentId: new Types.ObjectId().toHexString(),
    });
    await sleep(200);
    expect((await referralOf(a, bo))?.status).toBe('pending');
    expect(await col(b, 'students').countDocuments()).toBe(0);
    expect(await col(b, 'referral_rewards').countDocuments()).toBe(0);
  });

  it('turns the same payment.recorded event emitted twice concurrently (two deliveries) into one reward', async () => {
    const t = await sys.createTenant('an-race');
    const l = await library(t);
    const ann = await student(t, l, 'Ann');
    const annCode = (await sys.ok(CODE, { s: ann }, { token: t.ownerToken })).referralCode;
    const referees = await Promise.all([1, 2, 3].map((i) => student(t, l, `Ref${i}`, { referralCode: annCode })));
    for (const bo of referees) {
      const event = { tenantId: t.id, studentId: bo, paymentId: new Types.ObjectId().toHexString() };
      await Promise.all([1, 2].map(() => emitEvent(sys.db.platform(), sys.pubsub, DOMAIN_CONSUMERS, 'payment.recorded', event)));
    }
    await until(async () => (await col(t, 'referrals').countDocuments({ status: 'converted' })) === 3);
    await sleep(300);
    expect(await col(t, 'referral_rewards').countDocuments()).toBe(3);
    expect((await sys.ok(REF_STATS, {}, { token: t.ownerToken })).referralStats).toEqual({
      codesIssued: 1,
      referrals: 3,
      conversions: 3,
      rewards: 3,
      rewardsTotal: 30_000,
    });
  });
});
