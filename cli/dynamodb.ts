import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError } from '../core/errors';
import { type DbManager } from '../core/tenancy/db';
import { claimSlot, releaseSlot } from '../core/tenancy/quota';
import { paymentModel } from '../subgraphs/billing/fees/payment.model';
import { attendanceModel } from '../subgraphs/student/attendance.model';
import { studentModel } from '../subgraphs/student/student.model';
import { libraryModel, type LibraryDoc } from '../subgraphs/tenant/library.model';
import { CliError } from './io';
import { mapStudentItem, type MappedStudent } from './dynamodb.map';
import { readDynamoExport } from './dynamodb.parse';
import { findBySlug } from './tenant';
import { istMidnight, istMonth } from '../core/tenant-time';
import { isDuplicateKey } from '../core/store/duplicate-key';

/**
 * One document per imported item, `_id` = the item's `PK|SK`: the unique `_id`
 * makes a re-run (or two concurrent runs) skip it. It also keeps what the
 * student model has no field for (batch, subjects, all centres).
 */
export const IMPORTS_COLLECTION = 'dynamodb_imports';

interface ImportDoc {
  _id: string;
  studentId: Types.ObjectId;
  at: Date;
  complete: boolean;
  batch?: string;
  subjects: string[];
  centre: string;
}

export type RowStatus = 'imported' | 'skipped' | 'rejected';
export interface ReportRow {
  item: number;
  key: string | null;
  status: RowStatus;
  studentId?: string;
  reasons?: string[];
}

const legacyInvoice = (key: string, i: number) => `LEGACY/${createHash('sha1').update(`${key}#${i}`).digest('hex').slice(0, 12).toUpperCase()}`;

/**
 * Imports the student items of a DynamoDB export into one tenant, written with
 * the student and billing subgraphs' own schemas. Every step is idempotent
 * (import key, quota slot once, payment idempotency keys, unique attendance
 * keys), so a re-run — also after a crash half-way — changes nothing.
 */
export async function importDynamo(db: DbManager, slug: string, file: string) {
  const tenant = await findBySlug(db, slug);
  if (tenant.status === 'provisioning') throw new CliError(`Tenant "${slug}" is still being provisioned`);
  const items = await readDynamoExport(file);
  const conn = db.tenant(tenant.dbName);
  const libs = await libraryModel(conn).find({}, { name: 1, status: 1 }).lean<LibraryDoc[]>();
  const imports = conn.db!.collection<ImportDoc>(IMPORTS_COLLECTION);
  const Students = studentModel(conn);
  const rows: ReportRow[] = [];
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const { student, reasons } = await mapStudentItem(item ?? {});
    const row = (status: RowStatus, extra: Partial<ReportRow> = {}) => rows.push({ item: index + 1, key: student?.key ?? null, status, ...extra });
    if (!student) {
      row('rejected', { reasons });
      continue;
    }
    const matches = libs.filter((l) => l.name.trim().toLowerCase() === student.centre.toLowerCase());
    if (matches.length !== 1) {
      row('rejected', { reasons: [`centres: ${matches.length ? 'more than one library is' : 'no library is'} named "${student.centre}"`] });
      continue;
    }
    if (seen.has(student.key)) {
      row('skipped', { reasons: ['same PK/SK earlier in this file'] });
      continue;
    }
    seen.add(student.key);
    const existing = await imports.findOne({ _id: student.key });
    if (existing?.complete) {
      row('skipped', { studentId: existing.studentId.toHexString() });
      continue;
    }
    const studentId = existing?.studentId ?? new Types.ObjectId();
    if (!existing) {
      try {
        await imports.insertOne({
          _id: student.key,
          studentId,
          at: new Date(),
          complete: false,
          batch: student.batch,
          subjects: student.subjects,
          centre: student.centre,
        });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        row('skipped', { reasons: ['imported concurrently by another run'] });
        continue;
      }
    }
    const libraryId = matches[0]._id;
    if (!(await Students.exists({ _id: studentId }))) {
      const quotaSlot = await claimSlot(conn, 'student_quotas', 'students', tenant.limits.maxStudents, () => Students.countDocuments()).catch(async (err) => {
        if (!(err instanceof AppError) || err.extensions.code !== 'LIMIT_EXCEEDED') throw err;
        await imports.deleteOne({ _id: student.key, complete: false });
        return null;
      });
      if (!quotaSlot) {
        row('rejected', { reasons: [`plan limit: at most ${tenant.limits.maxStudents} students`] });
        continue;
      }
      await insertStudent(conn, student, studentId, libraryId, quotaSlot).catch(async (err) => {
        await releaseSlot(conn, 'student_quotas', quotaSlot);
        throw err;
      });
    }
    await insertHistory(conn, student, studentId, libraryId);
    await imports.updateOne({ _id: student.key }, { $set: { complete: true } });
    row('imported', { studentId: studentId.toHexString() });
  }
  const n = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  return { tenant: slug, file, total: rows.length, imported: n('imported'), skipped: n('skipped'), rejected: n('rejected'), rows };
}

async function insertStudent(conn: ReturnType<DbManager['tenant']>, s: MappedStudent, _id: Types.ObjectId, libraryId: Types.ObjectId, quotaSlot: string) {
  const joinedAt = s.joinedAt ?? new Date();
  const lastVisit = s.attendance.length ? visitTime(s.attendance[s.attendance.length - 1]) : undefined;
  await studentModel(conn).create({
    _id,
    name: s.name,
    nameLower: s.name.toLowerCase(),
    email: s.email,
    phone: s.phone,
    status: s.status,
    libraryId,
    quotaSlot,
    joinedAt,
    lastCheckInAt: lastVisit,
    activeAt: lastVisit ?? joinedAt,
  });
}

/** Legacy attendance has days, not times: one closed visit at 09:00 IST per present day. */
const visitTime = (day: string) => new Date(istMidnight(day) + 9 * 3_600_000);

async function insertHistory(conn: ReturnType<DbManager['tenant']>, s: MappedStudent, studentId: Types.ObjectId, libraryId: Types.ObjectId) {
  const ignoreDuplicate = (err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  };
  for (const [i, p] of s.payments.entries()) {
    await paymentModel(conn)
      .create({
        studentId,
        libraryId,
        amount: p.amountPaise,
        currency: 'INR',
        method: p.method,
        reference: p.reference,
        idempotencyKey: `dynamodb:${s.key}:${i}`,
        month: istMonth(p.paidAt),
        paidAt: p.paidAt,
        invoice: { number: legacyInvoice(s.key, i), issuedAt: p.paidAt },
      })
      .catch(ignoreDuplicate);
  }
  for (const day of s.attendance) {
    const at = visitTime(day);
    await attendanceModel(conn)
      .create({
        studentId,
        libraryId,
        checkInAt: at,
        checkOutAt: at,
        openKey: `closed:dynamodb:${studentId.toHexString()}:${day}`,
        day,
        minutes: 0,
      })
      .catch(ignoreDuplicate);
  }
}
