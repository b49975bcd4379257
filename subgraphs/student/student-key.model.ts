import { Schema, type Connection, type Types } from 'mongoose';

/**
 * Import idempotency: `_id` = `<phone>:<lower-cased name>`, unique by `_id`, so of
 * two imports of the same person exactly one creates the student.
 */
export interface StudentKeyDoc {
  _id: string;
  studentId: Types.ObjectId;
  /** When the key was taken: a key older than STALE_KEY_MS without its student is left over from a crash. */
  at: Date;
}

export const STALE_KEY_MS = 5 * 60_000;

export const studentKeySchema = new Schema<StudentKeyDoc>(
  { _id: { type: String, required: true }, studentId: { type: Schema.Types.ObjectId, required: true }, at: { type: Date, required: true } },
  { collection: 'student_keys', versionKey: false, strictQuery: 'throw' },
);
studentKeySchema.index({ studentId: 1 });

export const studentKeys = (conn: Connection) => conn.collection<StudentKeyDoc>('student_keys');
