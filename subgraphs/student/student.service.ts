import { noteBefore } from '../../core/server/audit-plugin';
import { trusted, type Types } from 'mongoose';
import type { StudentContext } from './context';
import { forbidden, notFound } from '../../core/errors';
import { decodeCursor, encodeCursor, parseId, tryParseId } from '../../core/ids';
import { assertLibraryInScope, libraryQuery, libraryScopeFilter } from '../../core/scope/library-scope';
import { whenAsked } from '../../core/lazy';
import { claimSlot, releaseSlot } from '../../core/tenancy/quota';
import { attendanceModel } from './attendance.model';
import { bookingModel } from './booking.model';
import { requireLibrary } from './library.service';
import { findReferrer, recordReferral } from './referral.service';
import type { CreateStudentInput, StudentFilter, UpdateStudentInput } from './student.input';
import { studentKeys } from './student-key.model';
import { maskedIdProof, sealIdProof } from './id-proof.service';
import { removeStudentFiles } from './student-file.service';
import { studentModel, type StudentDoc } from './student.model';
import { readSettings } from './settings.service';
import { recordJoined } from './analytics/analytics-record.service';

/** Plan slots for maxStudents (core/tenancy/quota.ts). */
const QUOTA_COLLECTION = 'student_quotas';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Cursor pagination, newest first: `after` is the last _id of the previous page. */
export async function listStudents(ctx: StudentContext, filter: StudentFilter | undefined, first: number, after?: string) {
  const query: Record<string, unknown> = libraryQuery(ctx, filter?.libraryId ? parseId(filter.libraryId, 'filter.libraryId') : null, 'libraryId', tryParseId);
  if (filter?.status) query.status = filter.status;
  if (filter?.search) query.nameLower = new RegExp(`^${escapeRegex(filter.search.toLowerCase())}`);
  const page: Record<string, unknown> = { ...query };
  if (after) page._id = trusted({ $lt: decodeCursor(after) });
  const Student = studentModel(await ctx.tenantDb());
  const docs = await Student.find(page)
    .sort({ _id: -1 })
    .limit(first + 1)
    .batchSize(first + 1)
    .lean<StudentDoc[]>();
  const edges = docs.slice(0, first).map((d) => ({ cursor: encodeCursor(d._id), node: toStudent(d) }));
  return {
    edges,
    pageInfo: { hasNextPage: docs.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    // Counted only if the query selects it: a count scans every match (10 pages of a list = 10 counts).
    totalCount: whenAsked(() => Student.countDocuments(query)),
  };
}

/** Plan limit maxStudents via a quota slot; the slot is given back if the insert fails. */
export async function createStudent(ctx: StudentContext, input: CreateStudentInput) {
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  assertLibraryInScope(ctx, libraryId);
  await requireLibrary(ctx, input.libraryId);
  // The code is checked before the insert, so a bad code writes nothing.
  const conn = await ctx.tenantDb();
  const referrer = input.referralCode ? await findReferrer(conn, input.referralCode, input.phone) : null;
  const student = await insertStudent(ctx, { ...input, libraryId });
  if (referrer) await recordReferral(conn, referrer, parseId(student.id, 'id'));
  return student;
}

export type NewStudent = Omit<CreateStudentInput, 'libraryId'> & { libraryId: Types.ObjectId; _id?: Types.ObjectId };

/** Claims a plan slot, inserts, emits student.created; releases the slot if the insert fails (LIMIT_EXCEEDED when full). */
export async function insertStudent(ctx: StudentContext, input: NewStudent) {
  const tenant = await ctx.tenant();
  const conn = await ctx.tenantDb();
  const Students = studentModel(conn);
  const quotaSlot = await claimSlot(conn, QUOTA_COLLECTION, 'students', tenant.limits.maxStudents, () => Students.countDocuments());
  let doc;
  try {
    doc = await Students.create({
      ...(input._id ? { _id: input._id } : {}),
      name: input.name,
      nameLower: input.name.toLowerCase(),
      email: input.email?.toLowerCase(),
      phone: input.phone,
      parentPhone: input.parentPhone,
      idProof: input.idProof ? sealIdProof(ctx.config.security.accountKeys, input.idProof.type, input.idProof.number) : undefined,
      status: 'active',
      libraryId: input.libraryId,
      quotaSlot,
      joinedAt: new Date(),
    });
  } catch (err) {
    await releaseSlot(conn, QUOTA_COLLECTION, quotaSlot);
    throw err;
  }
  await recordJoined(conn, (await readSettings(conn)).timezone, doc.libraryId, doc.joinedAt);
  // Durable before the mutation answers; the student stands even if this throws (the slot is theirs).
  const studentId = doc._id.toHexString();
  await ctx.emit('student.created', { tenantId: tenant._id.toHexString(), studentId }, studentId);
  return toStudent(doc.toObject());
}

export async function updateStudent(ctx: StudentContext, id: string, input: UpdateStudentInput) {
  const _id = parseId(id, 'id');
  const set: Record<string, unknown> = {};
  if (input.libraryId != null) set.libraryId = parseId(input.libraryId, 'input.libraryId');
  if (input.name != null) Object.assign(set, { name: input.name, nameLower: input.name.toLowerCase() });
  if (input.email != null) set.email = input.email.toLowerCase();
  if (input.phone != null) set.phone = input.phone;
  if (input.parentPhone != null) set.parentPhone = input.parentPhone;
  if (input.idProof != null) set.idProof = sealIdProof(ctx.config.security.accountKeys, input.idProof.type, input.idProof.number);
  if (input.status != null) set.status = input.status;
  const Student = studentModel(await ctx.tenantDb());
  // Existence first, so a foreign id is NOT_FOUND whatever else the input says.
  const current = await Student.findById(_id).lean<StudentDoc>();
  if (!current) throw notFound('Student');
  // Branch scope: the student's library now, and the one it would move to.
  assertLibraryInScope(ctx, current.libraryId);
  if (set.libraryId) assertLibraryInScope(ctx, set.libraryId as Types.ObjectId);
  if (input.libraryId != null) await requireLibrary(ctx, input.libraryId);
  noteBefore(ctx, id, current, Object.keys(set));
  const doc = Object.keys(set).length
    ? await Student.findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<StudentDoc>()
    : await Student.findById(_id).lean<StudentDoc>();
  if (!doc) throw notFound('Student');
  return toStudent(doc);
}

/** Deletes the student with their bookings and visits (no dangling references), and frees the plan slot. */
export async function deleteStudent(ctx: StudentContext, id: string): Promise<boolean> {
  const _id: Types.ObjectId = parseId(id, 'id');
  const conn = await ctx.tenantDb();
  // The scope is part of the filter: a student of another branch is never deleted.
  const doc = await studentModel(conn)
    .findOneAndDelete({ _id, ...libraryScopeFilter(ctx, 'libraryId', tryParseId) })
    .lean<StudentDoc>();
  if (!doc) throw (await studentModel(conn).exists({ _id })) ? forbidden('This student belongs to a library outside your branch scope') : notFound('Student');
  noteBefore(ctx, id, doc);
  // Releases this student's own slot, so a repeated delete cannot free someone else's.
  await releaseSlot(conn, QUOTA_COLLECTION, doc.quotaSlot);
  await bookingModel(conn).deleteMany({ studentId: _id });
  await attendanceModel(conn).deleteMany({ studentId: _id });
  // A later import of the same person is a new student, not a duplicate.
  await studentKeys(conn).deleteMany({ studentId: _id });
  // Photo and ID-proof scan objects (confirmed or not) and their records.
  await removeStudentFiles(ctx, id);
  return true;
}

export const toStudent = (d: StudentDoc) => ({
  id: d._id.toHexString(),
  name: d.name,
  email: d.email ?? null,
  phone: d.phone,
  parentPhone: d.parentPhone ?? null,
  // Masked: the full number only through revealIdProofNumber (id-proof.service.ts).
  idProof: maskedIdProof(d.idProof),
  idProofDoc: d.idProof ?? null,
  photoFileId: d.photoFileId ?? null,
  idProofScanFileId: d.idProofScanFileId ?? null,
  status: d.status,
  library: { id: d.libraryId.toHexString() },
  joinedAt: d.joinedAt,
  createdAt: d.createdAt,
});

export type StudentView = ReturnType<typeof toStudent>;
