import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/**
 * Single-use markers of the accounts flows (a reset code spent, a recovery code
 * spent, a TOTP time step used, a login challenge finished). The key is the
 * `_id`: of any number of concurrent uses exactly one insert wins (FerretDB has
 * no atomic conditional update, a unique insert is atomic everywhere).
 */
export interface AccountClaimDoc {
  _id: string;
  at: Date;
}

export const accountClaimSchema = new Schema<AccountClaimDoc>(
  { _id: { type: String, required: true }, at: { type: Date, required: true } },
  { collection: 'account_claims', versionKey: false, strictQuery: 'throw' },
);

export const accountClaimModel = (conn: Connection) => modelOn(conn, 'AccountClaim', accountClaimSchema);
