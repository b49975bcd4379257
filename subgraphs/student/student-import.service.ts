import { validate } from 'class-validator';
import { Types } from 'mongoose';
import type { StudentContext } from './context';
import { AppError } from '../../core/errors';
import { tenantLibraries, type LibraryName } from './tenant.client';
import { CreateStudentInput, IdProofInput } from './student.input';
import { parseStudentCsv, type CsvRow } from './student-import-csv.service';
import { ImportRowStatus, type ImportIssue, type ImportRow } from './student-import.type';
import { STALE_KEY_MS, studentKeys } from './student-key.model';
import { studentModel } from './student.model';
import { insertStudent } from './student.service';
import { isDuplicateKey } from '../../core/store/duplicate-key';

type Lib = LibraryName;

/**
 * Every row is validated with createStudent's own rules (the same class-validator
 * input class), then imported on its own: key claim → plan slot → insert, each
 * undone if a later step fails, so a row is written whole or not at all. Re-running
 * the same file skips rows already imported (DUPLICATE by phone + name).
 */
export async function importStudents(ctx: StudentContext, csv: string, dryRun: boolean) {
  const rows = parseStudentCsv(csv);
  const libs = await tenantLibraries(ctx);
  const conn = await ctx.tenantDb();
  const Students = studentModel(conn);
  const seen = new Set<string>();
  // Dry run: project the plan limit from the current count (an estimate; the real run claims slots).
  let room = dryRun ? (await ctx.tenant()).limits.maxStudents - (await Students.countDocuments()) : 0;
  const report: ImportRow[] = [];
  for (const r of rows) {
    const out = (status: ImportRowStatus, issues: ImportIssue[] = [], studentId: string | null = null) =>
      report.push({ row: r.row, line: r.line, status, name: r.values.name ?? null, studentId, issues });
    const { input, issues } = await validateRow(r, libs);
    if (!input) {
      out(ImportRowStatus.INVALID, issues);
      continue;
    }
    const key = studentKeyOf(input.phone, input.name);
    const existing = await Students.findOne({ phone: input.phone, nameLower: input.name.trim().toLowerCase() }, { _id: 1 }).lean<{ _id: Types.ObjectId }>();
    if (seen.has(key) || existing) {
      out(ImportRowStatus.DUPLICATE, [], existing?._id.toHexString() ?? null);
      continue;
    }
    seen.add(key);
    if (dryRun) {
      out(room-- > 0 ? ImportRowStatus.WOULD_IMPORT : ImportRowStatus.LIMIT_EXCEEDED);
      continue;
    }
    const _id = new Types.ObjectId();
    const holder = await claimKey(ctx, key, _id);
    if (holder) {
      out(ImportRowStatus.DUPLICATE, [], holder);
      continue;
    }
    try {
      await insertStudent(ctx, { ...input, libraryId: new Types.ObjectId(input.libraryId), _id });
      out(ImportRowStatus.IMPORTED, [], _id.toHexString());
    } catch (err) {
      await studentKeys(conn).deleteOne({ _id: key, studentId: _id });
      if (err instanceof AppError && err.extensions.code === 'LIMIT_EXCEEDED') {
        out(ImportRowStatus.LIMIT_EXCEEDED, [{ field: 'row', message: err.message }]);
        continue;
      }
      throw err;
    }
  }
  const n = (s: ImportRowStatus) => report.filter((x) => x.status === s).length;
  return {
    dryRun,
    total: report.length,
    rows: report,
    imported: n(dryRun ? ImportRowStatus.WOULD_IMPORT : ImportRowStatus.IMPORTED),
    duplicates: n(ImportRowStatus.DUPLICATE),
    invalid: n(ImportRowStatus.INVALID),
    limitExceeded: n(ImportRowStatus.LIMIT_EXCEEDED),
  };
}

/** Inserts the key; returns the student holding it if taken (a stale key left by a crashed import is reclaimed once). */
async function claimKey(ctx: StudentContext, key: string, studentId: Types.ObjectId): Promise<string | null> {
  const conn = await ctx.tenantDb();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await studentKeys(conn).insertOne({ _id: key, studentId, at: new Date() });
      return null;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const held = await studentKeys(conn).findOne({ _id: key });
      if (!held) continue;
      // A fresh key without its student is another import still in progress: a duplicate.
      const stale = held.at.getTime() < Date.now() - STALE_KEY_MS;
      if (!stale || (await studentModel(conn).exists({ _id: held.studentId }))) return held.studentId.toHexString();
      await studentKeys(conn).deleteOne({ _id: key, studentId: held.studentId });
    }
  }
  return key;
}

async function validateRow(r: CsvRow, libs: Lib[]): Promise<{ input?: CreateStudentInput; issues: ImportIssue[] }> {
  const v = r.values;
  const issues: ImportIssue[] = [];
  let lib: Lib | undefined;
  if (v.libraryId) {
    lib = libs.find((l) => l.id === v.libraryId.toLowerCase());
    if (!lib) issues.push({ field: 'libraryId', message: 'Library not found' });
  } else if (v.library) {
    const matches = libs.filter((l) => l.name.trim().toLowerCase() === v.library.toLowerCase());
    if (matches.length !== 1)
      issues.push({ field: 'library', message: matches.length ? 'more than one library has this name; use libraryId' : 'Library not found' });
    lib = matches.length === 1 ? matches[0] : undefined;
  } else {
    issues.push({ field: 'library', message: 'libraryId or library is required' });
  }
  if (lib && lib.status !== 'ACTIVE') issues.push({ field: v.libraryId ? 'libraryId' : 'library', message: `the library is not active (${lib.status})` });

  const input = Object.assign(new CreateStudentInput(), {
    name: v.name ?? '',
    phone: v.phone ?? '',
    parentPhone: v.parentPhone,
    email: v.email,
    libraryId: lib?.id ?? '',
    idProof: v.idProofType || v.idProofNumber ? Object.assign(new IdProofInput(), { type: v.idProofType ?? '', number: v.idProofNumber ?? '' }) : undefined,
  });
  for (const e of await validate(input, { forbidUnknownValues: false })) {
    const children = (e.children ?? []).map((c) => ({ field: `idProof${c.property[0].toUpperCase()}${c.property.slice(1)}`, c }));
    for (const m of Object.values(e.constraints ?? {})) issues.push({ field: e.property, message: m });
    for (const { field, c } of children) for (const m of Object.values(c.constraints ?? {})) issues.push({ field, message: m });
  }
  return issues.length ? { issues } : { input, issues };
}

export const studentKeyOf = (phone: string, name: string) => `${phone}:${name.trim().toLowerCase()}`;
