import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/** Default SAC: 999293, commercial training and coaching services. */
export const DEFAULT_SAC = '999293';
export const DEFAULT_GST_RATE = 18;
/** The one settings document of a tenant database. */
export const SETTINGS_ID = 'billing';

export interface BillingSettingsDoc {
  _id: string;
  legalName: string;
  gstin?: string;
  address: string;
  /** GST state code of the tenant (two digits, e.g. 29 Karnataka). */
  stateCode: string;
  hsnSac: string;
  gstRatePercent: number;
}

export const billingSettingsSchema = new Schema<BillingSettingsDoc>(
  {
    _id: { type: String, required: true },
    legalName: { type: String, required: true },
    gstin: String,
    address: { type: String, required: true },
    stateCode: { type: String, required: true },
    hsnSac: { type: String, required: true },
    gstRatePercent: { type: Number, required: true },
  },
  { collection: 'billing_settings', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const billingSettingsModel = (conn: Connection) => modelOn(conn, 'BillingSettings', billingSettingsSchema);
