import { addDays, addMonths } from '../../../core/tenant-time';

/** An instant on the tenant's wall clock: what the analytics buckets are keyed by. */
export interface LocalClock {
  /** 'YYYY-MM-DD' */
  day: string;
  /** 'YYYY-MM' */
  month: string;
  /** 0..23 */
  hour: number;
  /** 1 = Monday .. 7 = Sunday (ISO). */
  weekday: number;
  /** Milliseconds to add to UTC for the wall clock at this instant. */
  offsetMs: number;
}

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
// Offsets only change on quarter-hour boundaries (every zone in the tz database), so one Intl call per
// quarter-hour serves every instant in it: a year of visits is rebuilt without millions of Intl calls.
const offsets = new Map<string, number>();
const OFFSET_CACHE_MAX = 200_000;

function offsetAt(timezone: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER_MS);
  const key = `${timezone}|${quarter}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, f);
  }
  const at = quarter * QUARTER_MS;
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  if (offsets.size >= OFFSET_CACHE_MAX) offsets.clear();
  offsets.set(key, wall - at);
  return wall - at;
}

/** Day, month, hour and ISO weekday of an instant in a time zone (the tenant's `timezone` setting). */
export function localClock(timezone: string, at: Date | number): LocalClock {
  const ms = typeof at === 'number' ? at : at.getTime();
  const offsetMs = offsetAt(timezone, ms);
  const local = new Date(ms + offsetMs);
  const day = local.toISOString().slice(0, 10);
  return { day, month: day.slice(0, 7), hour: local.getUTCHours(), weekday: ((local.getUTCDay() + 6) % 7) + 1, offsetMs };
}

/** ISO weekday of a calendar day: 1 = Monday .. 7 = Sunday. */
export const weekdayOf = (day: string): number => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** The Monday starting the ISO week of a day. */
export const weekStart = (day: string): string => addDays(day, 1 - weekdayOf(day));

/** Month 'YYYY-MM' n months after (n < 0: before). */
export const shiftMonth = (month: string, n: number): string => addMonths(`${month}-01`, n).slice(0, 7);

/** Whole months from a to b ('YYYY-MM'; b − a). */
export function monthsBetween(a: string, b: string): number {
  const [ay, am] = a.split('-').map(Number) as [number, number];
  const [by, bm] = b.split('-').map(Number) as [number, number];
  return (by - ay) * 12 + (bm - am);
}

/** Months from..to inclusive ('YYYY-MM'). */
export function monthRange(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = shiftMonth(m, 1)) months.push(m);
  return months;
}

/**
 * Wall-clock minutes of a visit per (day, hour): the hours it covers, cut at hour
 * boundaries of the check-in's offset (Indian zones have no daylight saving).
 */
export function minutesByHour(timezone: string, from: Date, to: Date): { day: string; hour: number; minutes: number }[] {
  const { offsetMs } = localClock(timezone, from);
  const start = from.getTime() + offsetMs;
  const end = to.getTime() + offsetMs;
  const out: { day: string; hour: number; minutes: number }[] = [];
  for (let cur = start; cur < end;) {
    const next = Math.min((Math.floor(cur / HOUR_MS) + 1) * HOUR_MS, end);
    const local = new Date(cur);
    const minutes = Math.round((next - cur) / 60_000);
    if (minutes > 0) out.push({ day: local.toISOString().slice(0, 10), hour: local.getUTCHours(), minutes });
    cur = next;
  }
  return out;
}
