import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** The tenant's account security policy: one document in the tenant database. */
export interface SecurityPolicyDoc {
  _id: 'security';
  /** Tenant roles that must use a TOTP second factor. */
  totpRequiredRoles: string[];
  updatedAt: Date;
  updatedBy: string;
}

export const securityPolicySchema = new Schema<SecurityPolicyDoc>(
  {
    _id: { type: String, required: true },
    totpRequiredRoles: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'security_policy', versionKey: false, strictQuery: 'throw' },
);

export const securityPolicyModel = (conn: Connection) => modelOn(conn, 'SecurityPolicy', securityPolicySchema);
