import { registerEnumType } from 'type-graphql';
import { badInput } from '../../core/errors';

/** The old fixed daily slots: each now stands for a library's shift (shift.service.ts shiftForSlot). Claims are whole hours. */
export enum TimeSlot {
  MORNING = 'morning',
  EVENING = 'evening',
  FULL_DAY = 'full_day',
}
registerEnumType(TimeSlot, {
  name: 'TimeSlot',
  description: "The old fixed slots, kept for old clients: each stands for the library's shift of that slot (MORNING 06-14, EVENING 14-22, FULL_DAY 06-22 for a library open 06-22; Asia/Kolkata).",
});

export const OPEN_HOUR = 6;
export const CLOSE_HOUR = 22;

export const SLOT_HOURS: Record<TimeSlot, [number, number]> = {
  [TimeSlot.MORNING]: [6, 14],
  [TimeSlot.EVENING]: [14, 22],
  [TimeSlot.FULL_DAY]: [6, 22],
};

export const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a 'YYYY-MM-DD' calendar date (rejects 2030-02-30). */
export function parseDay(value: string, field: string): string {
  if (typeof value !== 'string' || !YMD.test(value)) throw badInput(field, 'must be YYYY-MM-DD');
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) throw badInput(field, 'must be a real date');
  return value;
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Inclusive list of days from..to; BAD_USER_INPUT if reversed or longer than maxDays. */
export function daysBetween(from: string, to: string, maxDays: number, field = 'toDate'): string[] {
  if (to < from) throw badInput(field, 'must not be before the start date');
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > maxDays) throw badInput(field, `the range may span at most ${maxDays} days`);
  }
  return days;
}

const KOLKATA = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day of an instant in Asia/Kolkata, stored at write time for $match/$group. */
export const kolkataDay = (at: Date): string => KOLKATA.format(at);

export const pad2 = (n: number) => String(n).padStart(2, '0');
