import { notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { auditRead } from '../../core/server/audit-plugin';
import { confirmUpload, fileById, fileField, fileScope, findFile, removeFile, removeOwnerFiles, requestUpload } from '../../core/storage/files';
import type { FileKind } from '../../core/storage/kinds';
import type { StudentContext } from './context';
import type { RequestStudentUploadInput } from './student-file.input';
import { StudentFileKind } from './student-file.input';
import { studentLoader } from './student.loader';
import { STUDENT_FILES } from './student-file.model';
import { studentModel, type StudentDoc } from './student.model';
import { toStudent, type StudentView } from './student.service';

const KINDS: readonly FileKind[] = ['STUDENT_PHOTO', 'ID_PROOF_SCAN'];
/** Which student field points at a confirmed file of each kind. */
const SLOT = { STUDENT_PHOTO: 'photoFileId', ID_PROOF_SCAN: 'idProofScanFileId' } as const;
const KIND_OF: Record<StudentFileKind, FileKind> = { [StudentFileKind.PHOTO]: 'STUDENT_PHOTO', [StudentFileKind.ID_PROOF_SCAN]: 'ID_PROOF_SCAN' };

const scopeOf = (ctx: StudentContext) => fileScope(ctx, STUDENT_FILES, ctx.services.storage);

/** A student of the caller's tenant and branch scope, or NOT_FOUND. */
async function requireStudent(ctx: StudentContext, studentId: string): Promise<StudentView> {
  parseId(studentId, 'studentId');
  const student = await studentLoader(ctx).load(studentId);
  if (!student) throw notFound('Student');
  return student;
}

export async function requestStudentUpload(ctx: StudentContext, input: RequestStudentUploadInput) {
  const scope = await scopeOf(ctx);
  const student = await requireStudent(ctx, input.studentId);
  return requestUpload(scope, { kind: KIND_OF[input.kind], ownerId: student.id, contentType: input.contentType, size: input.size });
}

/** Checks the upload and makes it the student's photo / scan; the file it replaces is deleted. */
export async function confirmStudentUpload(ctx: StudentContext, fileId: string) {
  const scope = await scopeOf(ctx);
  const file = await findFile(scope, fileId, KINDS);
  const student = await requireStudent(ctx, file.ownerId);
  const ready = await confirmUpload(scope, fileId, KINDS);
  const slot = SLOT[ready.kind as keyof typeof SLOT];
  const Students = studentModel(scope.conn);
  const doc = await Students.findOneAndUpdate({ _id: parseId(student.id, 'id') }, { $set: { [slot]: fileId } }, { returnDocument: 'after' }).lean<StudentDoc>();
  if (!doc) throw notFound('Student');
  const previous = student[slot];
  if (previous && previous !== fileId) {
    const old = await fileById(scope.conn, STUDENT_FILES, previous);
    if (old) await removeFile(scope, old);
  }
  return toStudent(doc);
}

/** Student.photo: a download link for callers who may read the student's personal data. */
export function studentPhoto(ctx: StudentContext, student: StudentView) {
  return fileField(ctx, ctx.services.storage, STUDENT_FILES, student.photoFileId);
}

/** Student.idProofScan: needs students:idproof:reveal (rules); every link issued is audited like a reveal. */
export async function studentIdProofScan(ctx: StudentContext, student: StudentView) {
  const link = await fileField(ctx, ctx.services.storage, STUDENT_FILES, student.idProofScanFileId);
  if (link) await auditRead(ctx, 'student', 'idProofScan.download', student.id);
  return link;
}

/** On delete: every object under the student's prefixes and the records (no-op without storage). */
export async function removeStudentFiles(ctx: StudentContext, studentId: string): Promise<number> {
  const store = ctx.services.storage;
  if (!store) return 0;
  const tenant = await ctx.tenant();
  return removeOwnerFiles({ conn: await ctx.tenantDb(), collection: STUDENT_FILES, store, tenantId: tenant._id.toHexString() }, KINDS, studentId);
}
