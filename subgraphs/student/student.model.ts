import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface StudentDoc {
  _id: Types.ObjectId;
  name: string;
  /** Lower-cased name: case-insensitive prefix search on an index, without collations. */
  nameLower: string;
  email?: string;
  phone: string;
  parentPhone?: string;
  idProof?: IdProofDoc;
  /** Confirmed uploads (student_files): the current photo and ID-proof scan. */
  photoFileId?: string;
  idProofScanFileId?: string;
  status: string;
  libraryId: Types.ObjectId;
  /** The plan slot this student holds (student.quota.ts), released on delete. */
  quotaSlot?: string;
  joinedAt: Date;
  /** Latest check-in (set by checkIn), absent until the first visit. */
  lastCheckInAt?: Date;
  /** lastCheckInAt, or joinedAt before any visit: churnRisk is `activeAt <= cutoff`, one indexed range. */
  activeAt?: Date;
  createdAt: Date;
}

/**
 * The number sealed with the ACCOUNT_KEYS ring ('pii' domain, id-proof.service.ts) and the
 * few trailing characters reads show masked. `number` is the plaintext of records written
 * before encryption: migration 005 seals it, and nothing writes it any more.
 */
export interface IdProofDoc {
  type: string;
  sealed?: string;
  tail?: string;
  number?: string;
}

const idProofSchema = new Schema<IdProofDoc>({ type: { type: String, required: true }, sealed: String, tail: String, number: String }, { _id: false });

export const studentSchema = new Schema<StudentDoc>(
  {
    name: { type: String, required: true },
    nameLower: { type: String, required: true },
    email: String,
    phone: { type: String, required: true },
    parentPhone: String,
    idProof: idProofSchema,
    status: { type: String, required: true, default: 'active' },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    quotaSlot: String,
    photoFileId: String,
    idProofScanFileId: String,
    joinedAt: { type: Date, required: true, default: () => new Date() },
    lastCheckInAt: Date,
    activeAt: { type: Date, default: () => new Date() },
  },
  { collection: 'students', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Listing: optional libraryId/status filters, newest first (_id desc), optional name prefix.
studentSchema.index({ libraryId: 1, status: 1, _id: -1 });
studentSchema.index({ status: 1, _id: -1 });
studentSchema.index({ nameLower: 1, _id: -1 });
// Import de-duplication by phone + name.
studentSchema.index({ phone: 1, nameLower: 1 });
// churnRisk: active students idle since a cutoff, longest idle first (optionally per library).
studentSchema.index({ status: 1, activeAt: 1 });
studentSchema.index({ libraryId: 1, status: 1, activeAt: 1 });

export const studentModel = (conn: Connection) => modelOn(conn, 'Student', studentSchema);
