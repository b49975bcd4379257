import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export enum ReferralRewardType {
  FEE_DISCOUNT = 'fee_discount',
  CASHBACK = 'cashback',
}

/** Defaults for a tenant that never changed its settings: IST days, ₹100 fee discount per conversion. */
export const DEFAULT_SETTINGS = {
  timezone: 'Asia/Kolkata',
  referralRewardType: ReferralRewardType.FEE_DISCOUNT,
  referralRewardAmount: 10_000,
};

export type StudentSettingsView = typeof DEFAULT_SETTINGS;

/** One document per tenant database (_id 'settings'); missing fields fall back to the defaults. */
export interface StudentSettingsDoc {
  _id: string;
  timezone?: string;
  referralRewardType?: ReferralRewardType;
  /** Paise. */
  referralRewardAmount?: number;
}

export const studentSettingsSchema = new Schema<StudentSettingsDoc>(
  {
    _id: { type: String, required: true },
    timezone: String,
    referralRewardType: String,
    referralRewardAmount: Number,
  },
  { collection: 'student_settings', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const SETTINGS_ID = 'settings';

export const studentSettingsModel = (conn: Connection) => modelOn(conn, 'StudentSettings', studentSettingsSchema);
