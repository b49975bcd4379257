import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** One successful mutation (tenant DB `audit_log`; platform-level actions in the platform DB). */
export interface AuditDoc {
  _id: Types.ObjectId;
  service: string;
  action: string;
  userId: string;
  role: string;
  entityId: string | null;
  input: unknown;
  /** Previous values of what the mutation changed (the whole entity on delete), redacted. */
  before?: unknown;
  result: unknown;
  ip: string | null;
  requestId: string;
  at: Date;
}

const fields = {
  service: { type: String, required: true },
  action: { type: String, required: true },
  userId: { type: String, required: true },
  role: { type: String, required: true },
  entityId: { type: String, default: null },
  input: { type: Schema.Types.Mixed },
  before: { type: Schema.Types.Mixed, default: null },
  result: { type: Schema.Types.Mixed },
  ip: { type: String, default: null },
  requestId: { type: String, required: true },
  at: { type: Date, required: true },
};
const options = { versionKey: false, strictQuery: 'throw' } as const;

export const auditSchema = new Schema<AuditDoc>(fields, { ...options, collection: 'audit_log' });
export const platformAuditSchema = new Schema<AuditDoc>(fields, { ...options, collection: 'platform_audit_log' });
for (const s of [auditSchema, platformAuditSchema]) {
  s.index({ at: -1 });
  s.index({ action: 1, at: -1 });
  s.index({ userId: 1, at: -1 });
}

export const auditModel = (conn: Connection) => modelOn(conn, 'AuditEntry', auditSchema);
export const platformAuditModel = (platform: Connection) => modelOn(platform, 'PlatformAuditEntry', platformAuditSchema);
