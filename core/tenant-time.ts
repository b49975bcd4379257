/**
 * Tenant-local dates. Every tenant is an Indian study library: its calendar is
 * Asia/Kolkata, which has no daylight saving, so local time is always UTC+05:30
 * and a fixed offset is exact (no Intl, no time-zone database). Calendar days
 * are 'YYYY-MM-DD' strings and months 'YYYY-MM': stored at write time so reports
 * can $match/$group on them, and date arithmetic on them never meets a timezone.
 */

/** Asia/Kolkata is UTC+05:30 all year. */
export const IST_OFFSET_MS = 330 * 60_000;
export const DAY_MS = 86_400_000;

/** A well-formed day 'YYYY-MM-DD' (month 01-12, day 01-31; see isValidDay for 30 Feb). */
export const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A well-formed month 'YYYY-MM'. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

const pad2 = (n: number) => String(n).padStart(2, '0');
/** UTC midnight of a day: the unit of day arithmetic (local and UTC days are both 24 h long). */
const utcMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const dayOfUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The calendar day in India at this instant. */
export const istDay = (at: Date): string => dayOfUtc(at.getTime() + IST_OFFSET_MS);

/** The month 'YYYY-MM' in India at this instant. */
export const istMonth = (at: Date): string => istDay(at).slice(0, 7);

/** The Indian financial year (April–March) of an instant, e.g. '2026-27'. */
export function financialYear(at: Date): string {
  const [year, month] = istMonth(at).split('-').map(Number) as [number, number];
  const start = month >= 4 ? year : year - 1;
  return `${start}-${pad2((start + 1) % 100)}`;
}

/** The instant a day starts in India (00:00 IST = 18:30 UTC the day before). */
export const istMidnight = (day: string): number => utcMs(day) - IST_OFFSET_MS;

/** A real calendar day: well formed, and not 2030-02-30. */
export const isValidDay = (day: string): boolean => DAY_PATTERN.test(day) && dayOfUtc(utcMs(day)) === day;

export const addDays = (day: string, n: number): string => dayOfUtc(utcMs(day) + n * DAY_MS);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string): number => Math.round((utcMs(b) - utcMs(a)) / DAY_MS);

/** Same day n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad2(month)}-${pad2(Math.min(d, last))}`;
}
