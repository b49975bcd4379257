import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** One issued reset code; only the newest of a user counts. The code itself is never stored. */
export interface PasswordResetDoc {
  _id: Types.ObjectId;
  userId: string;
  /** keyedHash(ACCOUNT_KEYS, reset id, code): core/security/secret-box.ts. */
  codeHash: string;
  expiresAt: Date;
  createdAt: Date;
}

export const passwordResetSchema = new Schema<PasswordResetDoc>(
  {
    userId: { type: String, required: true },
    codeHash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'password_resets', versionKey: false, strictQuery: 'throw' },
);
passwordResetSchema.index({ userId: 1, createdAt: -1 });

export const passwordResetModel = (conn: Connection) => modelOn(conn, 'PasswordReset', passwordResetSchema);
