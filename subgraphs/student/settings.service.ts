import type { Connection } from 'mongoose';
import type { StudentContext } from './context';
import { DEFAULT_SETTINGS, SETTINGS_ID, studentSettingsModel, type StudentSettingsDoc, type StudentSettingsView } from './settings.model';
import type { StudentSettingsInput } from './settings.input';

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

/** The caller's tenant settings (defaults until changed). */
export async function settingsOf(ctx: StudentContext): Promise<StudentSettingsView> {
  return readSettings(await ctx.tenantDb());
}

/** Sets the given fields (others keep their value or default) and returns the settings now in force. */
export async function updateSettings(ctx: StudentContext, input: StudentSettingsInput): Promise<StudentSettingsView> {
  const set: Record<string, unknown> = {};
  if (input.timezone != null) set.timezone = input.timezone;
  if (input.referralRewardType != null) set.referralRewardType = input.referralRewardType;
  if (input.referralRewardAmount != null) set.referralRewardAmount = input.referralRewardAmount;
  const conn = await ctx.tenantDb();
  if (Object.keys(set).length) await studentSettingsModel(conn).updateOne({ _id: SETTINGS_ID }, { $set: set }, { upsert: true });
  return readSettings(conn);
}
