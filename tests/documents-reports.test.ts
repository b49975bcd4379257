import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Types } from 'mongoose';
import { useXlsx } from '../core/documents/xlsx';
import { download, pdfText, xlsxRows } from './helpers/documents';
import { stockMasterWallet } from './helpers/fixtures';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { TEST_PASSWORD, type TestTenant } from './helpers/system';

/**
 * The student and credits documents (docs/flows/documents.md, "Attendance, credits and exports"):
 * a monthly attendance sheet (PDF, XLSX) and the credit statement, issued through GraphQL,
 * downloaded through the gateway's /documents/:token and read back against the APIs' numbers.
 */
let sys: SharedSystem;
beforeAll(async () => {
  sys = await sharedSystem();
});
afterAll(() => sys?.stop());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are untyped JSON; the test reads the fields it asserts
type Doc = Record<string, any>;
const SHEET = `query($l: ID!, $m: String!, $f: DocumentFormat) { attendanceSheet(libraryId: $l, month: $m, format: $f) { url fileName contentType expiresAt } }`;
const STATEMENT = `query($m: String, $from: String, $to: String) { creditStatement(month: $m, from: $from, to: $to) { url fileName contentType } }`;

const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));
const createLibrary = async (t: TestTenant, name: string) =>
  (await sys.ok(`mutation($n: String!) { createLibrary(input: { name: $n, capacity: 40 }) { id } }`, { n: name }, { token: t.ownerToken })).createLibrary
    .id as string;
const createStudent = async (t: TestTenant, name: string, libraryId: string) =>
  (
    await sys.ok(
      `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`,
      { i: { name, phone: '9876543210', libraryId } },
      { token: t.ownerToken },
    )
  ).createStudent.id as string;

/** Past visits written as checkIn/checkOut write them (a closed visit with its tenant-local day and minutes). */
async function visit(t: TestTenant, studentId: string, libraryId: string, day: string, hour = 9) {
  const checkInAt = new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+05:30`);
  await tenantDb(t)
    .collection('attendance')
    .insertOne({
      studentId: new Types.ObjectId(studentId),
      libraryId: new Types.ObjectId(libraryId),
      checkInAt,
      checkOutAt: new Date(checkInAt.getTime() + 90 * 60_000),
      openKey: `closed:${new Types.ObjectId().toHexString()}`,
      day,
      minutes: 90,
      createdAt: checkInAt,
      updatedAt: checkInAt,
    });
}

/** A user of the tenant limited to some libraries (branch scope). */
async function scopedManager(t: TestTenant, libraryIds: string[]) {
  const email = `mgr-${Date.now()}@${t.slug}.test`;
  await sys.ok(
    `mutation($i: CreateUserInput!) { createUser(input: $i) { id } }`,
    { i: { email, name: 'Branch manager', password: TEST_PASSWORD, role: 'manager', libraryIds } },
    { token: t.ownerToken },
  );
  return (await sys.login(email, TEST_PASSWORD, t.slug)).accessToken;
}

describe('monthly attendance sheet', () => {
  const MONTH = '2026-11';
  let t: TestTenant;
  let lib: string;
  let other: string;
  const students: Record<string, string> = {};
  beforeAll(async () => {
    t = await sys.createTenant('docs-att', { plan: 'professional' });
    [lib, other] = await Promise.all([createLibrary(t, 'Reading Room North'), createLibrary(t, 'Reading Room South')]);
    for (const name of ['Asha Verma', 'Bala Krishnan', 'Chitra Rao']) students[name] = await createStudent(t, name, lib);
    const elsewhere = await createStudent(t, 'Dev Other', other);
    const { 'Asha Verma': a, 'Bala Krishnan': b } = students;
    // Asha: 3 days, twice on the 2nd; Bala: 2 days; Chitra: never; Dev: another library (not on this sheet).
    for (const [s, day, hour] of [
      [a, '2026-11-01', 9],
      [a, '2026-11-02', 9],
      [a, '2026-11-02', 15],
      [a, '2026-11-30', 9],
      [b, '2026-11-02', 10],
      [b, '2026-11-17', 10],
      [elsewhere, '2026-11-02', 10],
    ] as const)
      await visit(t, s, s === elsewhere ? other : lib, day, hour);
    // A visit of the month before stays off the sheet.
    await visit(t, a, lib, '2026-10-31');
  });

  it('XLSX: per-student and per-day totals equal attendanceStats and studentAttendance', async () => {
    const { attendanceSheet: link } = await sys.ok(SHEET, { l: lib, m: MONTH, f: 'XLSX' }, { token: t.ownerToken });
    expect(link.fileName).toBe(`attendance-${MONTH}-${lib}.xlsx`);
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const rows = (await xlsxRows(res.body))[`Attendance ${MONTH}`];
    const [header, ...body] = rows;
    expect(header.slice(0, 3)).toEqual(['Student', 'Student ID', '1']);
    expect(header.slice(-3)).toEqual(['30', 'Days present', 'Check-ins']);
    expect(body.map((r) => r[0])).toEqual(['Asha Verma', 'Bala Krishnan', 'Chitra Rao', 'Students present', 'Check-ins']);

    const stats = (
      await sys.ok(
        `query($l: ID, $f: String!, $t: String!) { attendanceStats(libraryId: $l, from: $f, to: $t) { day checkIns uniqueStudents } }`,
        { l: lib, f: '2026-11-01', t: '2026-11-30' },
        { token: t.ownerToken },
      )
    ).attendanceStats as Doc[];
    // Day cells are columns 3..32 (blank when zero: a sparse array, hence Array.from).
    const days = (row: unknown[]) => Array.from(row.slice(2, 32), (v) => (typeof v === 'number' ? v : 0));
    const present = days(body[3]);
    const visits = days(body[4]);
    expect(present).toEqual(stats.map((d) => d.uniqueStudents));
    expect(visits).toEqual(stats.map((d) => d.checkIns));
    expect(present[1]).toBe(2); // the 2nd: Asha and Bala (Dev is in another library)
    expect(visits[1]).toBe(3);

    for (const [i, name] of ['Asha Verma', 'Bala Krishnan', 'Chitra Rao'].entries()) {
      const api = (
        await sys.ok(
          `query($s: ID!) { studentAttendance(studentId: $s, from: "2026-11-01", to: "2026-11-30") { day checkIns } }`,
          { s: students[name] },
          { token: t.ownerToken },
        )
      ).studentAttendance as Doc[];
      const row = body[i];
      expect(row[1]).toBe(students[name]);
      expect(days(row)).toEqual(api.map((d) => d.checkIns));
      expect(row[32]).toBe(api.filter((d) => d.checkIns > 0).length);
      expect(row[33]).toBe(api.reduce((s, d) => s + d.checkIns, 0));
    }
    expect(body[0].slice(32)).toEqual([3, 4]);
    expect(body[3][32]).toBe(5); // days present, summed
    expect(body[4][33]).toBe(6);
  });

  it('PDF: the branded P/A grid with the same totals', async () => {
    const { attendanceSheet: link } = await sys.ok(SHEET, { l: lib, m: MONTH }, { token: t.ownerToken });
    expect(link.contentType).toBe('application/pdf');
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body);
    expect(text).toContain('Attendance Sheet');
    expect(text).toContain('Reading Room North · November 2026');
    const line = (start: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(start))!
        .split(/\s+/)
        .slice(start.split(' ').length);
    // Asha: P on the 1st, 2nd and 30th; no A (she joined after that month: days before joining are blank).
    const asha = line('Asha Verma');
    expect(asha.filter((c) => c === 'P')).toHaveLength(3);
    expect(asha.slice(-2)).toEqual(['3', '4']);
    expect(line('Bala Krishnan').slice(-2)).toEqual(['2', '2']);
    expect(line('Chitra Rao').slice(-2)).toEqual(['0', '0']);
    const presentRow = line('Present');
    expect(presentRow.slice(0, 3)).toEqual(['1', '2', '0']);
    expect(presentRow[presentRow.length - 1]).toBe('5');
    expect(line('Check-ins').slice(-1)).toEqual(['6']);
  });

  it('checks branch scope and the library at issuance; bad months are refused', async () => {
    const south = await scopedManager(t, [other]);
    const refused = await sys.gql(SHEET, { l: lib, m: MONTH }, { token: south });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await sys.gql(SHEET, { l: other, m: MONTH }, { token: south })).data?.attendanceSheet.url).toMatch(/^\/documents\//);
    const missing = await sys.gql(SHEET, { l: new Types.ObjectId().toHexString(), m: MONTH }, { token: t.ownerToken });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const bad = await sys.gql(SHEET, { l: lib, m: '2026-13' }, { token: t.ownerToken });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const anon = await sys.gql(SHEET, { l: lib, m: MONTH }, { tenant: t.slug });
    expect(anon.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // Another tenant's owner cannot name this library.
    const u = await sys.createTenant('docs-att-u', { plan: 'professional' });
    expect((await sys.gql(SHEET, { l: lib, m: MONTH }, { token: u.ownerToken })).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('streamed XLSX exports', () => {
  const STUDENTS = `query($l: ID) { studentsExport(libraryId: $l) { url fileName } }`;
  const VISITS = `query($f: String!, $t: String!, $l: ID) { attendanceExport(from: $f, to: $t, libraryId: $l) { url fileName } }`;
  let t: TestTenant;
  let north: string;
  let south: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await sys.createTenant('docs-export', { plan: 'professional' });
    [north, south] = await Promise.all([createLibrary(t, 'North'), createLibrary(t, 'South')]);
    ids.asha = await createStudent(t, 'Asha', north);
    ids.bala = await createStudent(t, '=HYPERLINK("x")', north);
    ids.chitra = await createStudent(t, 'Chitra', south);
    await visit(t, ids.asha, north, '2026-03-10', 9);
    await visit(t, ids.chitra, south, '2026-03-11', 10);
    await visit(t, ids.asha, north, '2026-04-01', 8);
    await visit(t, ids.bala, north, '2025-12-31', 8); // before the period
  });

  it('students: every student with contact fields, formula-guarded, scoped', async () => {
    const { studentsExport: link } = await sys.ok(STUDENTS, {}, { token: t.ownerToken });
    expect(link.fileName).toBe('students.xlsx');
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    const [header, ...rows] = (await xlsxRows(res.body)).Students;
    expect(header).toEqual(['ID', 'Name', 'Phone', 'Parent phone', 'Email', 'Status', 'Library ID', 'Joined']);
    expect(rows.map((r) => r[0]).sort()).toEqual(Object.values(ids).sort());
    const bala = rows.find((r) => r[0] === ids.bala)!;
    expect(bala[1]).toBe(`'=HYPERLINK("x")`);
    expect(bala[2]).toBe('9876543210');
    expect(bala[6]).toBe(north);
    expect(bala[7]).toBeInstanceOf(Date);
    // One library; a manager of South gets South only, and not North even when asking.
    const one = (await xlsxRows((await download(sys.gatewayUrl, (await sys.ok(STUDENTS, { l: south }, { token: t.ownerToken })).studentsExport.url)).body))
      .Students;
    expect(one.slice(1).map((r) => r[0])).toEqual([ids.chitra]);
    const mgr = await scopedManager(t, [south]);
    const scoped = (await xlsxRows((await download(sys.gatewayUrl, (await sys.ok(STUDENTS, {}, { token: mgr })).studentsExport.url)).body)).Students;
    expect(scoped.slice(1).map((r) => r[0])).toEqual([ids.chitra]);
    expect((await sys.gql(STUDENTS, { l: north }, { token: mgr })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Front-desk staff may not export phone numbers.
    expect((await sys.gql(STUDENTS, {}, { token: await sys.userToken(t, 'staff') })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('attendance: every visit of the period with the student name, oldest first; a year at most', async () => {
    const { attendanceExport: link } = await sys.ok(VISITS, { f: '2026-01-01', t: '2026-12-31' }, { token: t.ownerToken });
    const [header, ...rows] = (await xlsxRows((await download(sys.gatewayUrl, link.url)).body)).Attendance;
    expect(header).toEqual(['Day', 'Student', 'Student ID', 'Library ID', 'Check-in', 'Check-out', 'Minutes']);
    expect(rows).toEqual([
      ['2026-03-10', 'Asha', ids.asha, north, '09:00', '10:30', 90],
      ['2026-03-11', 'Chitra', ids.chitra, south, '10:00', '11:30', 90],
      ['2026-04-01', 'Asha', ids.asha, north, '08:00', '09:30', 90],
    ]);
    const southOnly = (
      await xlsxRows(
        (await download(sys.gatewayUrl, (await sys.ok(VISITS, { f: '2026-01-01', t: '2026-12-31', l: south }, { token: t.ownerToken })).attendanceExport.url))
          .body,
      )
    ).Attendance;
    expect(southOnly.slice(1).map((r) => r[2])).toEqual([ids.chitra]);
    const long = await sys.gql(VISITS, { f: '2025-01-01', t: '2026-12-31' }, { token: t.ownerToken });
    expect(long.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const reversed = await sys.gql(VISITS, { f: '2026-02-01', t: '2026-01-01' }, { token: t.ownerToken });
    expect(reversed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('credit statement', () => {
  let t: TestTenant;
  const ALLOCATE = `mutation($i: AllocateCreditsInput!) { allocateCredits(input: $i) { sms } }`;
  const DEBIT = `mutation($i: DebitCreditsInput!) { debitCredits(input: $i) { balanceAfter } }`;
  const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
  const month = today.slice(0, 7);
  beforeAll(async () => {
    await stockMasterWallet(sys);
    t = await sys.createTenant('docs-credits', { plan: 'professional' });
    const allocate = (channel: string, amount: number, key: string) =>
      sys.ok(ALLOCATE, { i: { tenantId: t.id, channel, amount, idempotencyKey: `${t.slug}-${key}` } }, { token: sys.superToken });
    await allocate('SMS', 100, 'a1');
    await allocate('WHATSAPP', 40, 'a2');
    const debit = (channel: string, reference: string) => sys.ok(DEBIT, { i: { channel, reference } }, { token: t.ownerToken, url: sys.subgraphUrls.credits });
    for (const r of ['m1', 'm2', 'm3']) await debit('SMS', `${t.slug}-${r}`);
    await debit('WHATSAPP', `${t.slug}-w1`);
    await sys.ok(`mutation($r: String!) { refundCredits(reference: $r) }`, { r: `${t.slug}-m2` }, { token: t.ownerToken, url: sys.subgraphUrls.credits });
    await allocate('SMS', 25, 'a3');
    // History: the first SMS allocation happened before this month (as if written then).
    await tenantDb(t)
      .collection('credit_ledger')
      .updateOne({ _id: 'sms:1' as never }, { $set: { day: '2026-01-15', month: '2026-01' } });
  });

  const numbers = (text: string, start: string) =>
    text
      .split('\n')
      .find((l) => l.startsWith(start))!
      .slice(start.length)
      .trim()
      .split(/\s+/);

  it('opening + every movement = closing = the wallet balance, per channel', async () => {
    const { creditStatement: link } = await sys.ok(STATEMENT, { m: month }, { token: t.ownerToken });
    expect(link.fileName).toBe(`credit-statement-${month}.pdf`);
    const res = await download(sys.gatewayUrl, link.url);
    expect(res.status).toBe(200);
    const text = await pdfText(res.body);
    expect(text).toContain('Messaging Credits Statement');
    const wallet = (await sys.ok(`{ wallet { sms whatsapp email } }`, {}, { token: t.ownerToken })).wallet;
    const ledger = (await sys.ok(`{ creditLedger(first: 50) { id channel delta reason } }`, {}, { token: t.ownerToken })).creditLedger as Doc[];
    // Summary rows: opening, purchases, debits, refunds, closing.
    const sms = numbers(text, 'SMS').map(Number);
    const inPeriod = ledger.filter((e) => e.channel === 'SMS' && e.id !== 'sms:1');
    expect(sms[0]).toBe(100);
    expect(sms[0] + sms[1] + sms[2] + sms[3]).toBe(sms[4]);
    expect(sms[0] + inPeriod.reduce((s, e) => s + e.delta, 0)).toBe(sms[4]);
    expect(sms.slice(1)).toEqual([25, -3, 1, wallet.sms]);
    expect(wallet.sms).toBe(123);
    const wa = numbers(text, 'WhatsApp').map(Number);
    expect(wa).toEqual([0, 40, -1, 0, wallet.whatsapp]);
    expect(numbers(text, 'E-mail').map(Number)).toEqual([0, 0, 0, 0, 0]);
    // Each movement is listed with the balance after it.
    expect(text).toContain(`Opening balance 100`);
    expect(text).toContain(`${t.slug}-m2 -1 98`);
    expect(text).toContain(`${t.slug}-m2 +1 98`);
    expect(text).toContain('Closing balance (to date) 123');
  });

  it('a period before any movement opens and closes at zero; one after all movements at the balance', async () => {
    const before = await download(
      sys.gatewayUrl,
      (await sys.ok(STATEMENT, { from: '2025-01-01', to: '2025-12-31' }, { token: t.ownerToken })).creditStatement.url,
    );
    expect(numbers(await pdfText(before.body), 'SMS').map(Number)).toEqual([0, 0, 0, 0, 0]);
    const jan = await download(sys.gatewayUrl, (await sys.ok(STATEMENT, { m: '2026-01' }, { token: t.ownerToken })).creditStatement.url);
    expect(numbers(await pdfText(jan.body), 'SMS').map(Number)).toEqual([0, 100, 0, 0, 100]);
  });

  it('refuses bad periods and callers without credits:read', async () => {
    const code = async (v: Doc, token = t.ownerToken) => (await sys.gql(STATEMENT, v, { token })).errors?.[0].extensions?.code;
    expect(await code({ m: month, from: '2026-01-01' })).toBe('BAD_USER_INPUT');
    expect(await code({ from: '2026-01-01' })).toBe('BAD_USER_INPUT');
    expect(await code({})).toBe('BAD_USER_INPUT');
    expect(await code({ from: '2026-02-01', to: '2026-01-01' })).toBe('BAD_USER_INPUT');
    expect(await code({ from: '2024-01-01', to: '2026-01-01' })).toBe('BAD_USER_INPUT');
    expect(await code({ m: '2026-1' })).toBe('BAD_USER_INPUT');
    expect(await code({ m: month }, await sys.userToken(t, 'staff'))).toBe('FORBIDDEN');
  });
});

describe('XLSX backpressure (core/documents/xlsx.ts drain)', () => {
  it('waits while the response is full, goes on once the client reads, and throws once the client has gone', async () => {
    let hold = true;
    const pending: (() => void)[] = [];
    // A slow client: each write is acknowledged only when released.
    const out = new Writable({
      highWaterMark: 1024,
      write(_chunk, _enc, done) {
        if (hold) pending.push(done);
        else done();
      },
    });
    const xlsx = useXlsx({ out });
    const sheet = xlsx.sheet('Rows', [{ header: 'Value', type: 'text' }]);
    // Incompressible rows, so the zip has plenty to write.
    for (let i = 0; i < 3000; i++) sheet.row([randomBytes(24).toString('hex')]);
    for (let i = 0; i < 100 && !out.writableNeedDrain; i++) await new Promise((r) => setTimeout(r, 20));
    expect(out.writableNeedDrain).toBe(true);
    let drained = false;
    const waiting = xlsx.drain().then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(drained).toBe(false); // the renderer is held while the client does not read
    hold = false;
    pending.splice(0).forEach((done) => done());
    await waiting;
    expect(drained).toBe(true);
    out.destroy();
    await expect(xlsx.drain()).rejects.toThrow('The download was abandoned');
  });
});
