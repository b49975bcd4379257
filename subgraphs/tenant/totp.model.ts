import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/**
 * A user's TOTP second factor, apart from the user document so the secret never
 * travels with a user read. Tenant users' in the tenant database, platform
 * users' in the platform database (same collection name).
 */
export interface TotpDoc {
  _id: string; // the user's id
  /** The secret sealed with ACCOUNT_KEYS (AES-256-GCM, core/security/secret-box.ts). */
  secret: string;
  /** False from enrollTotp until confirmTotp proves the app has it. */
  active: boolean;
  /** keyedHash of each one-time recovery code (spent ones are marked in account_claims). */
  recoveryCodes: string[];
  createdAt: Date;
  activatedAt?: Date | null;
}

export const totpSchema = new Schema<TotpDoc>(
  {
    _id: { type: String, required: true },
    secret: { type: String, required: true },
    active: { type: Boolean, required: true, default: false },
    recoveryCodes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    activatedAt: { type: Date, default: null },
  },
  { collection: 'user_totp', versionKey: false, strictQuery: 'throw' },
);

export const totpModel = (conn: Connection) => modelOn(conn, 'UserTotp', totpSchema);
