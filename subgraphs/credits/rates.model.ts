import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** Platform-wide price of one credit per channel, in paise (platform database). */
export interface CreditRatesDoc {
  _id: string;
  sms?: number;
  whatsapp?: number;
  email?: number;
}

export const creditRatesSchema = new Schema<CreditRatesDoc>(
  { _id: { type: String, required: true }, sms: Number, whatsapp: Number, email: Number },
  { collection: 'credit_rates', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const creditRatesModel = (platform: Connection) => modelOn(platform, 'CreditRates', creditRatesSchema);

/** Per-tenant retail price overrides (platform database, _id = tenant id). */
export const tenantRatesSchema = new Schema<CreditRatesDoc>(
  { _id: { type: String, required: true }, sms: Number, whatsapp: Number, email: Number },
  { collection: 'credit_tenant_rates', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const tenantRatesModel = (platform: Connection) => modelOn(platform, 'CreditTenantRates', tenantRatesSchema);
