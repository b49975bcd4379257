import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * One attempt at converting a lead into a tenant, `_id` `<leadId>:<attempt>`. The unique `_id`
 * decides which of several racing calls provisions (attempt 1), and which retry resumes a
 * conversion whose writer died (attempt n + 1 once attempt n is stale). Every attempt carries
 * what the first one chose (slug, name, plan, owner), so a resume provisions the same tenant.
 */
export interface LeadConversionDoc {
  _id: string;
  leadId: string;
  attempt: number;
  slug: string;
  name: string;
  plan: string;
  ownerEmail: string;
  ownerName: string;
  /** The platform user who asked first (Lead.convertedBy). */
  by: string;
  /** When attempt 1 was taken: a registry entry of this slug older than that is not ours. */
  firstAt: Date;
  /** Set when provisioning failed (a peer down): the next call resumes at once instead of waiting for staleness. */
  failedAt?: Date | null;
  createdAt: Date;
}

export const leadConversionSchema = new Schema<LeadConversionDoc>(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
    attempt: { type: Number, required: true },
    slug: { type: String, required: true },
    name: { type: String, required: true },
    plan: { type: String, required: true },
    ownerEmail: { type: String, required: true },
    ownerName: { type: String, required: true },
    by: { type: String, required: true },
    firstAt: { type: Date, required: true },
    failedAt: { type: Date, default: null },
  },
  { collection: 'crm_lead_conversions', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
leadConversionSchema.index({ leadId: 1, attempt: -1 });

export const leadConversionModel = (conn: Connection) => modelOn(conn, 'LeadConversion', leadConversionSchema);
