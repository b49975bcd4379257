import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { mongo } from 'mongoose';
import { exportTenant, importTenant } from '../cli/archive';
import { open } from '../core/security/secret-box';
import { storageConfig } from '../core/storage/config';
import { useObjectStore, type ObjectStore } from '../core/storage/object-store';
import { CONFIRM_WINDOW_MS, sweepPending } from '../core/storage/sweep';
import { encryptIdProofsWith } from '../migrations/005-encrypt-id-proofs';
import { type GqlResult, type TestTenant } from './helpers/client';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';
import { startSystem, type System } from './helpers/system';

// Object storage through the gateway against the real S3 server .ci/run starts (SeaweedFS):
// every upload is a real HTTP PUT to the presigned URL. Without S3_* these tests fail on purpose.
const MISSING = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'].filter((v) => !process.env[v]);

/** The ring the test systems seal with (tests/helpers/system.ts ACCOUNT_KEYS). */
const RING = [{ kid: 'k1', secret: 'test-account-key-test-account-key-000' }];

let sys: SharedSystem;
let store: ObjectStore;
let a: TestTenant;
let b: TestTenant;
let libA: string;
let libB: string;
let managerA: string;
let staffA: string;

beforeAll(async () => {
  if (MISSING.length) {
    throw new Error(
      `tests/files.test.ts needs an S3-compatible server: ${MISSING.join(', ')} unset. ` +
        '.ci/run starts SeaweedFS and sets them; in development start one (docs/operations.md "Object storage") and export S3_*.',
    );
  }
  sys = await sharedSystem();
  store = useObjectStore(storageConfig()!);
  a = await sys.createTenant('files-a');
  b = await sys.createTenant('files-b');
  libA = await createLibrary(a, 'Alpha Hall');
  libB = await createLibrary(b, 'Beta Hall');
  managerA = await sys.userToken(a, 'manager');
  staffA = await sys.userToken(a, 'staff');
});
afterAll(async () => {
  store?.close();
  await sys?.stop();
});

const code = (res: GqlResult) => res.errors?.[0]?.extensions?.code;
const tenantDb = (t: TestTenant) => sys.db.tenant(sys.db.tenantDbName(t.slug));

const TICKET = `fileId uploadUrl headers { name value } expiresAt size maxBytes`;
const REQUEST_STUDENT = `mutation($i: RequestStudentUploadInput!) { requestStudentUpload(input: $i) { ${TICKET} } }`;
const CONFIRM_STUDENT = `mutation($f: ID!) { confirmStudentUpload(fileId: $f) { id photo { url expiresAt contentType size } } }`;
const STUDENT_FILES = `query($id: ID!) { student(id: $id) { id idProof { type number } photo { url contentType size } idProofScan { url contentType size } } }`;
const ID_PROOF = `query($id: ID!) { student(id: $id) { idProof { type number } } }`;
const REVEAL = `mutation($s: ID!) { revealIdProofNumber(studentId: $s) { studentId type number } }`;

interface Ticket {
  fileId: string;
  uploadUrl: string;
  headers: { name: string; value: string }[];
  expiresAt: string;
  size: number;
  maxBytes: number;
}

async function createLibrary(t: TestTenant, name: string): Promise<string> {
  return (await sys.ok(`mutation($i: CreateLibraryInput!) { createLibrary(input: $i) { id } }`, { i: { name, capacity: 10 } }, { token: t.ownerToken }))
    .createLibrary.id;
}

let phoneSeq = 9100000000;
async function createStudent(t: TestTenant, libraryId: string, extra: Record<string, unknown> = {}): Promise<string> {
  const i = { name: `Student ${phoneSeq}`, phone: `+91${phoneSeq++}`, libraryId, ...extra };
  return (await sys.ok(`mutation($i: CreateStudentInput!) { createStudent(input: $i) { id } }`, { i }, { token: t.ownerToken })).createStudent.id;
}

/** A PUT as a browser sends it: the body and the Content-Type (fetch sets Content-Length from the body). */
async function put(url: string, body: Buffer, contentType: string): Promise<number> {
  const res = await fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });
  await res.arrayBuffer();
  return res.status;
}

const bytes = (n: number, seed = 1) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 7) % 256));

async function requestStudent(t: TestTenant, studentId: string, kind: string, contentType: string, size: number, token = t.ownerToken): Promise<Ticket> {
  return (await sys.ok(REQUEST_STUDENT, { i: { studentId, kind, contentType, size } }, { token })).requestStudentUpload;
}

/** Request, PUT, confirm: the student's photo or scan. */
async function uploadStudentFile(t: TestTenant, studentId: string, kind: string, contentType: string, body: Buffer) {
  const ticket = await requestStudent(t, studentId, kind, contentType, body.length);
  expect(await put(ticket.uploadUrl, body, contentType)).toBe(200);
  await sys.ok(CONFIRM_STUDENT, { f: ticket.fileId }, { token: t.ownerToken });
  return ticket;
}

async function download(url: string) {
  const res = await fetch(url);
  return {
    status: res.status,
    body: Buffer.from(await res.arrayBuffer()),
    type: res.headers.get('content-type'),
    disposition: res.headers.get('content-disposition'),
  };
}

const objectKey = (uploadUrl: string) => decodeURIComponent(new URL(uploadUrl).pathname.split('/').slice(2).join('/'));

async function auditEntries(t: TestTenant, filter: Record<string, unknown>) {
  // Audit entries travel on the bus: give them a moment.
  for (let i = 0; i < 50; i++) {
    const found = await tenantDb(t).collection('audit_log').find(filter).toArray();
    if (found.length) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

describe('uploads and downloads through presigned URLs', () => {
  it('student photo: request, real PUT, confirm, then a short-lived download link with the same bytes', async () => {
    const student = await createStudent(a, libA);
    const body = bytes(2048);
    const ticket = await requestStudent(a, student, 'PHOTO', 'image/jpeg', body.length);
    expect(ticket).toMatchObject({ size: 2048, maxBytes: 5 * 1024 * 1024 });
    expect(ticket.headers).toEqual([
      { name: 'Content-Type', value: 'image/jpeg' },
      { name: 'Content-Length', value: '2048' },
    ]);
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The key is built on the server from the caller's tenant and the student.
    expect(objectKey(ticket.uploadUrl)).toMatch(new RegExp(`^tenants/${a.id}/student-photo/${student}/[0-9a-f-]{36}$`));
    // Not confirmable before the PUT; the URL stays usable.
    const early = await sys.gql(CONFIRM_STUDENT, { f: ticket.fileId }, { token: a.ownerToken });
    expect(code(early)).toBe('BAD_USER_INPUT');
    expect(early.errors?.[0].message).toMatch(/nothing has been uploaded/);

    expect(await put(ticket.uploadUrl, body, 'image/jpeg')).toBe(200);
    const confirmed = (await sys.ok(CONFIRM_STUDENT, { f: ticket.fileId }, { token: a.ownerToken })).confirmStudentUpload;
    expect(confirmed.photo).toMatchObject({ contentType: 'image/jpeg', size: 2048 });
    const expires = new Date(confirmed.photo.expiresAt).getTime() - Date.now();
    expect(expires).toBeGreaterThan(4 * 60_000);
    expect(expires).toBeLessThanOrEqual(5 * 60_000 + 1000);

    const got = await download(confirmed.photo.url);
    expect(got.status).toBe(200);
    expect(got.body.equals(body)).toBe(true);
    expect(got.disposition).toMatch(/^inline; filename="student-photo-/);
    // The object itself is private: without the signature the server refuses.
    const plain = new URL(confirmed.photo.url);
    expect((await fetch(`${plain.origin}${plain.pathname}`)).status).toBe(403);
    expect(
      await tenantDb(a)
        .collection('student_files')
        .findOne({ _id: new mongo.ObjectId(ticket.fileId) }),
    ).toMatchObject({ status: 'ready', size: 2048 });

    // A new photo replaces the old one, whose object is deleted.
    const second = await uploadStudentFile(a, student, 'PHOTO', 'image/png', bytes(100, 3));
    expect(await store.head(objectKey(ticket.uploadUrl))).toBeNull();
    expect(await store.head(objectKey(second.uploadUrl))).toEqual({ size: 100, contentType: 'image/png' });
    const again = (await sys.ok(STUDENT_FILES, { id: student }, { token: a.ownerToken })).student;
    expect(again.photo).toMatchObject({ contentType: 'image/png', size: 100 });
  });

  it('ID-proof scan (PDF): managers upload it, only holders of students:idproof:reveal get the link, and each link is audited', async () => {
    const student = await createStudent(a, libA);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), bytes(500)]);
    const ticket = await requestStudent(a, student, 'ID_PROOF_SCAN', 'application/pdf', pdf.length, managerA);
    expect(ticket.maxBytes).toBe(10 * 1024 * 1024);
    expect(await put(ticket.uploadUrl, pdf, 'application/pdf')).toBe(200);
    await sys.ok(CONFIRM_STUDENT, { f: ticket.fileId }, { token: managerA });

    const asManager = await sys.gql(`query($id: ID!) { student(id: $id) { id idProofScan { url } } }`, { id: student }, { token: managerA });
    expect(code(asManager)).toBe('FORBIDDEN');
    expect(asManager.data?.student).toEqual({ id: student, idProofScan: null });

    // The audit entries of the upload keep no presigned URL (a bearer link), even aliased.
    const [requested] = await auditEntries(a, { action: 'requestStudentUpload', 'result.fileId': ticket.fileId });
    expect(requested.result).toMatchObject({ fileId: ticket.fileId, uploadUrl: '[redacted]' });
    const aliased = await sys.ok(
      `mutation($f: ID!) { c: confirmStudentUpload(fileId: $f) { link: idProofScan { u: url } } }`,
      { f: ticket.fileId },
      { token: a.ownerToken },
    );
    expect(aliased.c.link.u).toMatch(/X-Amz-Signature=/);
    const confirms = await auditEntries(a, { action: 'confirmStudentUpload', role: 'owner' });
    expect(confirms.length).toBeGreaterThan(0);
    expect(JSON.stringify(confirms)).not.toMatch(/X-Amz-Signature/i);

    const scan = (await sys.ok(STUDENT_FILES, { id: student }, { token: a.ownerToken })).student.idProofScan;
    expect(scan).toMatchObject({ contentType: 'application/pdf', size: pdf.length });
    const got = await download(scan.url);
    expect(got.body.equals(pdf)).toBe(true);
    expect(got.disposition).toMatch(/^attachment; filename="id-proof-scan-.*\.pdf"$/);
    const audit = await auditEntries(a, { action: 'idProofScan.download', entityId: student });
    // One link in the confirm above, one in the query.
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit[0]).toMatchObject({ service: 'student', role: 'owner' });
  });

  it('library photo and tenant logo (tenant subgraph): round trip, and the logo is the newest confirmed one', async () => {
    const photo = bytes(3000, 5);
    const t1 = (
      await sys.ok(
        `mutation($l: ID!, $i: FileUploadInput!) { requestLibraryPhotoUpload(libraryId: $l, input: $i) { ${TICKET} } }`,
        { l: libA, i: { contentType: 'image/webp', size: photo.length } },
        { token: managerA },
      )
    ).requestLibraryPhotoUpload as Ticket;
    expect(objectKey(t1.uploadUrl)).toMatch(new RegExp(`^tenants/${a.id}/library-photo/${libA}/`));
    expect(await put(t1.uploadUrl, photo, 'image/webp')).toBe(200);
    const lib = (
      await sys.ok(`mutation($f: ID!) { confirmLibraryPhotoUpload(fileId: $f) { id photo { url contentType size } } }`, { f: t1.fileId }, { token: managerA })
    ).confirmLibraryPhotoUpload;
    expect(lib).toMatchObject({ id: libA, photo: { contentType: 'image/webp', size: 3000 } });
    expect((await download(lib.photo.url)).body.equals(photo)).toBe(true);

    const logoTicket = async (body: Buffer, type: string) =>
      (
        await sys.ok(
          `mutation($i: FileUploadInput!) { requestTenantLogoUpload(input: $i) { ${TICKET} } }`,
          { i: { contentType: type, size: body.length } },
          { token: a.ownerToken },
        )
      ).requestTenantLogoUpload as Ticket;
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
    const l1 = await logoTicket(svg, 'image/svg+xml');
    expect(l1.maxBytes).toBe(1024 * 1024);
    expect(await put(l1.uploadUrl, svg, 'image/svg+xml')).toBe(200);
    expect(
      (await sys.ok(`mutation($f: ID!) { confirmTenantLogoUpload(fileId: $f) { contentType size } }`, { f: l1.fileId }, { token: a.ownerToken }))
        .confirmTenantLogoUpload,
    ).toEqual({
      contentType: 'image/svg+xml',
      size: svg.length,
    });
    const png = bytes(64, 9);
    const l2 = await logoTicket(png, 'image/png');
    expect(await put(l2.uploadUrl, png, 'image/png')).toBe(200);
    await sys.ok(`mutation($f: ID!) { confirmTenantLogoUpload(fileId: $f) { size } }`, { f: l2.fileId }, { token: a.ownerToken });
    const logo = (await sys.ok(`{ tenant { id logo { url contentType size } } }`, {}, { token: a.ownerToken })).tenant.logo;
    expect(logo).toMatchObject({ contentType: 'image/png', size: 64 });
    expect((await download(logo.url)).body.equals(png)).toBe(true);
    // The replaced logo's object is gone.
    expect(await store.head(objectKey(l1.uploadUrl))).toBeNull();
  });
});

describe('limits: signed into the URL, checked on confirm', () => {
  it('refuses types and sizes outside the kind before signing anything', async () => {
    const student = await createStudent(a, libA);
    const before = await tenantDb(a).collection('student_files').countDocuments();
    const gif = await sys.gql(REQUEST_STUDENT, { i: { studentId: student, kind: 'PHOTO', contentType: 'image/gif', size: 10 } }, { token: a.ownerToken });
    expect(code(gif)).toBe('BAD_USER_INPUT');
    expect(gif.errors?.[0].extensions?.field).toBe('input.contentType');
    const big = await sys.gql(
      REQUEST_STUDENT,
      { i: { studentId: student, kind: 'PHOTO', contentType: 'image/png', size: 5 * 1024 * 1024 + 1 } },
      { token: a.ownerToken },
    );
    expect(code(big)).toBe('BAD_USER_INPUT');
    expect(big.errors?.[0].extensions?.field).toBe('input.size');
    const svgLogo = await sys.gql(
      `mutation { requestTenantLogoUpload(input: { contentType: "image/jpeg", size: 10 }) { fileId } }`,
      {},
      { token: a.ownerToken },
    );
    expect(code(svgLogo)).toBe('BAD_USER_INPUT');
    expect(await tenantDb(a).collection('student_files').countDocuments()).toBe(before);
  });

  it('the storage server refuses another length, content type, key or a tampered signature', async () => {
    const student = await createStudent(a, libA);
    const ticket = await requestStudent(a, student, 'PHOTO', 'image/jpeg', 1000);
    expect(await put(ticket.uploadUrl, bytes(1001), 'image/jpeg')).toBe(403);
    expect(await put(ticket.uploadUrl, bytes(999), 'image/jpeg')).toBe(403);
    expect(await put(ticket.uploadUrl, bytes(1000), 'text/html')).toBe(403);
    const otherKey = ticket.uploadUrl.replace(`/${student}/`, `/${student}/x`);
    expect(await put(otherKey, bytes(1000), 'image/jpeg')).toBe(403);
    const tampered = new URL(ticket.uploadUrl);
    tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    expect(await put(tampered.toString(), bytes(1000), 'image/jpeg')).toBe(403);
    expect(await store.head(objectKey(ticket.uploadUrl))).toBeNull();
    // Nothing arrived: confirm refuses and the record waits.
    expect(code(await sys.gql(CONFIRM_STUDENT, { f: ticket.fileId }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
  });

  it('an object that differs from what was announced is refused on confirm and deleted with its record', async () => {
    const student = await createStudent(a, libA);
    const ticket = await requestStudent(a, student, 'PHOTO', 'image/jpeg', 1000);
    // Written around the URL (e.g. with storage credentials): another size.
    await store.write(objectKey(ticket.uploadUrl), bytes(1200), 'image/jpeg');
    const res = await sys.gql(CONFIRM_STUDENT, { f: ticket.fileId }, { token: a.ownerToken });
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toMatch(/1200 bytes.*deleted/);
    expect(await store.head(objectKey(ticket.uploadUrl))).toBeNull();
    expect(
      await tenantDb(a)
        .collection('student_files')
        .countDocuments({ _id: new mongo.ObjectId(ticket.fileId) }),
    ).toBe(0);
    expect((await sys.ok(STUDENT_FILES, { id: student }, { token: a.ownerToken })).student.photo).toBeNull();

    // Another content type, same size.
    const t2 = await requestStudent(a, student, 'PHOTO', 'image/jpeg', 10);
    await store.write(objectKey(t2.uploadUrl), bytes(10), 'image/png');
    expect(code(await sys.gql(CONFIRM_STUDENT, { f: t2.fileId }, { token: a.ownerToken }))).toBe('BAD_USER_INPUT');
    expect(await store.head(objectKey(t2.uploadUrl))).toBeNull();
  });
});

describe('tenant isolation and permissions', () => {
  it("another tenant can neither confirm, see nor attach tenant A's files, and its keys have its own prefix", async () => {
    const studentA = await createStudent(a, libA);
    const studentB = await createStudent(b, libB);
    const ticketA = await requestStudent(a, studentA, 'PHOTO', 'image/jpeg', 50);
    expect(await put(ticketA.uploadUrl, bytes(50), 'image/jpeg')).toBe(200);
    // B confirming A's file id: not in B's database.
    const confirm = await sys.gql(CONFIRM_STUDENT, { f: ticketA.fileId }, { token: b.ownerToken });
    expect(code(confirm)).toBe('NOT_FOUND');
    // B asking for an upload for A's student: not B's student.
    expect(
      code(await sys.gql(REQUEST_STUDENT, { i: { studentId: studentA, kind: 'PHOTO', contentType: 'image/jpeg', size: 5 } }, { token: b.ownerToken })),
    ).toBe('NOT_FOUND');
    // B's own keys live under B's tenant id.
    const ticketB = await requestStudent(b, studentB, 'PHOTO', 'image/jpeg', 50);
    expect(objectKey(ticketB.uploadUrl).startsWith(`tenants/${b.id}/`)).toBe(true);
    expect(objectKey(ticketA.uploadUrl).startsWith(`tenants/${a.id}/`)).toBe(true);
    // A's file id against B's library photo and logo: not found either.
    expect(code(await sys.gql(`mutation($f: ID!) { confirmLibraryPhotoUpload(fileId: $f) { id } }`, { f: ticketA.fileId }, { token: b.ownerToken }))).toBe(
      'NOT_FOUND',
    );
    expect(code(await sys.gql(`mutation($f: ID!) { confirmTenantLogoUpload(fileId: $f) { size } }`, { f: ticketA.fileId }, { token: b.ownerToken }))).toBe(
      'NOT_FOUND',
    );
    // A's student photo id is not a library photo of A either (kinds do not mix).
    expect(code(await sys.gql(`mutation($f: ID!) { confirmLibraryPhotoUpload(fileId: $f) { id } }`, { f: ticketA.fileId }, { token: a.ownerToken }))).toBe(
      'NOT_FOUND',
    );
    // Still pending for A, who confirms it.
    expect((await sys.ok(CONFIRM_STUDENT, { f: ticketA.fileId }, { token: a.ownerToken })).confirmStudentUpload.photo.size).toBe(50);
  });

  it('refuses without permission: FORBIDDEN', async () => {
    const student = await createStudent(a, libA);
    expect(code(await sys.gql(REQUEST_STUDENT, { i: { studentId: student, kind: 'PHOTO', contentType: 'image/jpeg', size: 5 } }, { token: staffA }))).toBe(
      'FORBIDDEN',
    );
    expect(code(await sys.gql(REQUEST_STUDENT, { i: { studentId: student, kind: 'PHOTO', contentType: 'image/jpeg', size: 5 } }))).toBe('UNAUTHENTICATED');
    expect(code(await sys.gql(`mutation { requestTenantLogoUpload(input: { contentType: "image/png", size: 5 }) { fileId } }`, {}, { token: managerA }))).toBe(
      'FORBIDDEN',
    );
    expect(
      code(
        await sys.gql(
          `mutation($l: ID!) { requestLibraryPhotoUpload(libraryId: $l, input: { contentType: "image/png", size: 5 }) { fileId } }`,
          { l: libA },
          { token: staffA },
        ),
      ),
    ).toBe('FORBIDDEN');
    const photo = await sys.gql(`query($id: ID!) { student(id: $id) { id photo { url } } }`, { id: student }, { token: staffA });
    expect(code(photo)).toBe('FORBIDDEN');
    expect(code(await sys.gql(REVEAL, { s: student }, { token: managerA }))).toBe('FORBIDDEN');
    expect(code(await sys.gql(REVEAL, { s: student }, { token: staffA }))).toBe('FORBIDDEN');
  });
});

describe('ID-proof numbers', () => {
  it('are encrypted at rest, masked in reads, and revealed only on request with permission (audited, number never logged)', async () => {
    const number = '1234-5678-9012';
    const student = await createStudent(a, libA, { idProof: { type: 'Aadhaar', number } });
    const raw = await tenantDb(a)
      .collection('students')
      .findOne({ _id: new mongo.ObjectId(student) });
    expect(raw!.idProof).toEqual({ type: 'Aadhaar', sealed: expect.stringMatching(/^v1\.k1\./), tail: '9012' });
    expect(JSON.stringify(raw)).not.toMatch(/5678/);
    expect(open(RING, raw!.idProof.sealed, 'pii').toString()).toBe(number);
    // Sealed for PII: the accounts domain of the same ring cannot open it.
    expect(() => open(RING, raw!.idProof.sealed)).toThrow();

    for (const token of [a.ownerToken, managerA]) {
      expect((await sys.ok(ID_PROOF, { id: student }, { token })).student.idProof).toEqual({ type: 'Aadhaar', number: 'XXXXXXXX9012' });
    }
    const revealed = (await sys.ok(REVEAL, { s: student }, { token: a.ownerToken })).revealIdProofNumber;
    expect(revealed).toEqual({ studentId: student, type: 'Aadhaar', number });
    const [entry] = await auditEntries(a, { action: 'revealIdProofNumber', entityId: student });
    expect(entry).toMatchObject({ role: 'owner', result: '[redacted]' });
    expect(JSON.stringify(entry)).not.toMatch(/5678/);
    // Even aliased, the number never reaches the audit log.
    await sys.ok(`mutation($s: ID!) { r: revealIdProofNumber(studentId: $s) { n: number } }`, { s: student }, { token: a.ownerToken });
    const entries = await tenantDb(a).collection('audit_log').find({ action: 'revealIdProofNumber' }).toArray();
    expect(JSON.stringify(entries)).not.toMatch(/5678/);

    // An update re-seals; a short number shows at most half of it.
    await sys.ok(
      `mutation($id: ID!) { updateStudent(id: $id, input: { idProof: { type: "PAN", number: "AB12" } }) { id } }`,
      { id: student },
      { token: a.ownerToken },
    );
    expect((await sys.ok(STUDENT_FILES, { id: student }, { token: a.ownerToken })).student.idProof).toEqual({ type: 'PAN', number: 'XXXXXXXX12' });
    expect((await sys.ok(REVEAL, { s: student }, { token: a.ownerToken })).revealIdProofNumber.number).toBe('AB12');
  });

  it('migration 005 seals plaintext numbers of older records, once', async () => {
    const student = await createStudent(a, libA);
    const students = tenantDb(a).collection('students');
    await students.updateOne({ _id: new mongo.ObjectId(student) }, { $set: { idProof: { type: 'Passport', number: 'P9876543' } } });
    // Masked even before the migration.
    expect((await sys.ok(STUDENT_FILES, { id: student }, { token: a.ownerToken })).student.idProof).toEqual({ type: 'Passport', number: 'XXXXXXXX6543' });
    const migration = encryptIdProofsWith(() => RING);
    const conn = tenantDb(a);
    expect(await migration.pending(conn)).toBe(1);
    expect(await migration.up(conn)).toBe(1);
    expect(await migration.up(conn)).toBe(0);
    expect(await migration.pending(conn)).toBe(0);
    const raw = await students.findOne({ _id: new mongo.ObjectId(student) });
    expect(raw!.idProof).toEqual({ type: 'Passport', sealed: expect.stringMatching(/^v1\.k1\./), tail: '6543' });
    expect((await sys.ok(REVEAL, { s: student }, { token: a.ownerToken })).revealIdProofNumber.number).toBe('P9876543');
  });
});

describe('lifecycle', () => {
  it('deleting a student deletes its objects (confirmed or not) and file records', async () => {
    const student = await createStudent(a, libA);
    const photo = await uploadStudentFile(a, student, 'PHOTO', 'image/jpeg', bytes(300));
    // A scan uploaded but never confirmed leaves an object too.
    const scan = await requestStudent(a, student, 'ID_PROOF_SCAN', 'image/png', 40);
    expect(await put(scan.uploadUrl, bytes(40), 'image/png')).toBe(200);
    const prefixes = [`tenants/${a.id}/student-photo/${student}/`, `tenants/${a.id}/id-proof-scan/${student}/`];
    expect((await Promise.all(prefixes.map((p) => store.list(p)))).flat()).toHaveLength(2);

    expect((await sys.ok(`mutation($id: ID!) { deleteStudent(id: $id) }`, { id: student }, { token: a.ownerToken })).deleteStudent).toBe(true);
    expect((await Promise.all(prefixes.map((p) => store.list(p)))).flat()).toEqual([]);
    expect(await tenantDb(a).collection('student_files').countDocuments({ ownerId: student })).toBe(0);
    expect(await store.head(objectKey(photo.uploadUrl))).toBeNull();
  });

  it("tenant export includes the tenant's objects, and import restores them under the new tenant", async () => {
    const t = await sys.createTenant('files-export');
    const lib = await createLibrary(t, 'Export Hall');
    const student = await createStudent(t, lib);
    const body = bytes(777, 11);
    await uploadStudentFile(t, student, 'PHOTO', 'image/webp', body);
    const dir = mkdtempSync(join(tmpdir(), 'files-export-'));
    try {
      const file = join(dir, 'archive.jsonl.gz');
      const result = await exportTenant(sys.db, t.slug, file, store);
      expect(result.objects).toBe(1);
      const lines = gunzipSync(readFileSync(file))
        .toString()
        .trim()
        .split('\n')
        .map((l) => mongo.BSON.EJSON.parse(l, { relaxed: false }) as Record<string, unknown>);
      const objects = lines.filter((l) => l.t === 'object');
      expect(objects).toHaveLength(1);
      expect(objects[0]).toMatchObject({ key: expect.stringMatching(new RegExp(`^student-photo/${student}/`)), contentType: 'image/webp' });
      expect(Buffer.from(String(objects[0].data), 'base64').equals(body)).toBe(true);
      expect(lines.at(-1)?.t).toBe('end');
      expect(Number(lines.at(-1)?.objects)).toBe(1);
      // The file record travels with the documents.
      expect(lines.some((l) => l.t === 'doc' && l.c === 'student_files')).toBe(true);

      // Imported under a new slug (and a new id: the original is in use), the photo is there under the new tenant's prefix.
      const imported = await importTenant(sys.db, { file, as: 'files-export-copy' }, store);
      expect(imported).toMatchObject({ keptId: false, objects: 1 });
      const copyId = imported.tenant.id;
      const token = (await sys.login(t.ownerEmail, t.password, 'files-export-copy')).accessToken;
      const photo = (await sys.ok(STUDENT_FILES, { id: student }, { token })).student.photo;
      expect(new URL(photo.url).pathname).toContain(`/tenants/${copyId}/student-photo/${student}/`);
      expect((await download(photo.url)).body.equals(body)).toBe(true);
      // The original's object is untouched.
      expect(await store.list(`tenants/${t.id}/`)).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pending uploads', () => {
  it('the sweep deletes uploads never confirmed after the confirm window (object and record), and nothing else', async () => {
    const student = await createStudent(a, libA);
    const stale = await requestStudent(a, student, 'PHOTO', 'image/jpeg', 30);
    expect(await put(stale.uploadUrl, bytes(30), 'image/jpeg')).toBe(200);
    const fresh = await requestStudent(a, student, 'ID_PROOF_SCAN', 'image/png', 20);
    const ready = await uploadStudentFile(a, student, 'ID_PROOF_SCAN', 'image/png', bytes(25));
    const files = tenantDb(a).collection('student_files');
    const longAgo = new Date(Date.now() - CONFIRM_WINDOW_MS - 60_000);
    await files.updateMany({ _id: { $in: [stale.fileId, ready.fileId].map((id) => new mongo.ObjectId(id)) } }, { $set: { createdAt: longAgo } });

    expect(await sweepPending({ conn: tenantDb(a), collection: 'student_files', store }, new Date(Date.now() - CONFIRM_WINDOW_MS))).toBe(1);
    expect(await store.head(objectKey(stale.uploadUrl))).toBeNull();
    expect(await files.countDocuments({ _id: new mongo.ObjectId(stale.fileId) })).toBe(0);
    // The fresh pending one and the confirmed one (however old) stay.
    expect(await files.countDocuments({ _id: new mongo.ObjectId(fresh.fileId) })).toBe(1);
    expect(await store.head(objectKey(ready.uploadUrl))).toEqual({ size: 25, contentType: 'image/png' });
    expect(code(await sys.gql(CONFIRM_STUDENT, { f: stale.fileId }, { token: a.ownerToken }))).toBe('NOT_FOUND');
  });
});

describe('without object storage', () => {
  let bare: System;
  beforeAll(async () => {
    bare = await startSystem({}, { student: { storage: null }, tenant: { storage: null } });
  });
  afterAll(() => bare?.stop());

  it('uploads answer STORAGE_NOT_CONFIGURED; everything else works', async () => {
    const t = await bare.createTenant('files-bare');
    const lib = (await bare.ok(`mutation { createLibrary(input: { name: "Bare", capacity: 5 }) { id } }`, {}, { token: t.ownerToken })).createLibrary.id;
    const student = (
      await bare.ok(
        `mutation($i: CreateStudentInput!) { createStudent(input: $i) { id photo { url } } }`,
        { i: { name: 'Nisha', phone: '+919000000001', libraryId: lib } },
        { token: t.ownerToken },
      )
    ).createStudent;
    expect(student.photo).toBeNull();
    const res = await bare.gql(REQUEST_STUDENT, { i: { studentId: student.id, kind: 'PHOTO', contentType: 'image/jpeg', size: 5 } }, { token: t.ownerToken });
    expect(code(res)).toBe('STORAGE_NOT_CONFIGURED');
    expect(res.errors?.[0].message).toMatch(/not configured.*S3_BUCKET/);
    expect(
      code(await bare.gql(`mutation { requestTenantLogoUpload(input: { contentType: "image/png", size: 5 }) { fileId } }`, {}, { token: t.ownerToken })),
    ).toBe('STORAGE_NOT_CONFIGURED');
    expect((await bare.ok(`{ tenant { logo { url } } }`, {}, { token: t.ownerToken })).tenant.logo).toBeNull();
    expect((await bare.ok(`mutation($id: ID!) { deleteStudent(id: $id) }`, { id: student.id }, { token: t.ownerToken })).deleteStudent).toBe(true);
  });
});
