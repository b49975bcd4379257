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

export async function readSettings(conn: Connection): Promise<StudentSettingsView> {
  const doc = await studentSettingsModel(conn).findById(SETTINGS_ID).lean<StudentSettingsDoc>();
  return {
    timezone: doc?.timezone ?? DEFAULT_SETTINGS.timezone,
    referralRewardType: doc?.referralRewardType ?? DEFAULT_SETTINGS.referralRewardType,
    referralRewardAmount: doc?.referralRewardAmount ?? DEFAULT_SETTINGS.referralRewardAmount,
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD' of an instant in a time zone (stored at write time so reports only $match/$group). */
export function dayIn(timezone: string, at: Date): string {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timezone, f);
  }
  return f.format(at);
}

export function isTimeZone(tz: string): boolean {
  try {
    dayIn(tz, new Date());
    return true;
  } catch {
    return false;
  }
}
