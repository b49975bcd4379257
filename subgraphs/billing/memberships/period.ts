/**
 * Calendar days of memberships and charges, as 'YYYY-MM-DD' strings: a
 * membership runs on the library's (Indian) calendar, so "today" is the date in
 * Asia/Kolkata and date arithmetic never meets a timezone.
 */
const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;

export const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The date in India at this instant. */
export const istDay = (at: Date) => fromUtc(at.getTime() + IST_OFFSET_MS);

export const isValidDay = (day: string) => DAY.test(day) && fromUtc(toUtc(day)) === day;

export const addDays = (day: string, n: number) => fromUtc(toUtc(day) + n * DAY_MS);

/** Whole days from a to b (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((toUtc(b) - toUtc(a)) / DAY_MS);

/** Same day n months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export enum FeeDuration { MONTHLY = 'MONTHLY', QUARTERLY = 'QUARTERLY', HALF_YEARLY = 'HALF_YEARLY', YEARLY = 'YEARLY', DAYS = 'DAYS' }

const MONTHS: Record<Exclude<FeeDuration, FeeDuration.DAYS>, number> = {
  [FeeDuration.MONTHLY]: 1, [FeeDuration.QUARTERLY]: 3, [FeeDuration.HALF_YEARLY]: 6, [FeeDuration.YEARLY]: 12,
};

/** The last day (inclusive) of a period that starts on `start`. */
export function periodEnd(start: string, duration: FeeDuration, durationDays?: number | null): string {
  if (duration === FeeDuration.DAYS) return addDays(start, (durationDays ?? 1) - 1);
  return addDays(addMonths(start, MONTHS[duration]), -1);
}
