import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * One charged SaaS subscription change, in the PLATFORM database: the platform's
 * own revenue, readable across tenants without opening every tenant database.
 * `_id` = `<tenantId>:<changeId>`, so recording a change twice (a retry, a
 * replayed key, two racing appliers) stores it once.
 */
export interface SaasChargeDoc {
  _id: string;
  tenantId: string;
  plan: string;
  cycle: string;
  /** What the change was: SUBSCRIBE, CONVERT, UPGRADE, RENEW. */
  effect: string;
  /** Paise. */
  amount: number;
  /** YYYY-MM in Asia/Kolkata. */
  month: string;
  at: Date;
}

const schema = new Schema<SaasChargeDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    plan: { type: String, required: true },
    cycle: { type: String, required: true },
    effect: { type: String, required: true },
    amount: { type: Number, required: true, min: 1 },
    month: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'saas_charges', versionKey: false, strictQuery: 'throw' },
);
schema.index({ month: 1 });

export const saasChargeModel = (platform: Connection) => modelOn(platform, 'SaasCharge', schema);
