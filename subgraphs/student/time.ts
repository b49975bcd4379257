import { registerEnumType } from 'type-graphql';
import { badInput } from '../../core/errors';
import { addDays, isValidDay } from '../../core/tenant-time';

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
  if (!isValidDay(value)) throw badInput(field, 'must be a real date');
  return value;
}

/** Inclusive list of days from..to; BAD_USER_INPUT if reversed or longer than maxDays. */
export function dayRange(from: string, to: string, maxDays: number, field = 'toDate'): string[] {
  if (to < from) throw badInput(field, 'must not be before the start date');
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.push(d);
    if (days.length > maxDays) throw badInput(field, `the range may span at most ${maxDays} days`);
  }
  return days;
}

export const pad2 = (n: number) => String(n).padStart(2, '0');
