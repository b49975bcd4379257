/** India has no DST: Asia/Kolkata is always UTC+05:30. */
const IST_OFFSET_MS = 330 * 60_000;

/** `YYYY-MM-DD` of an instant in Asia/Kolkata (stored on ledger entries for day/month reports). */
export function istDay(at: Date): string {
  return new Date(at.getTime() + IST_OFFSET_MS).toISOString().slice(0, 10);
}

export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
