import { badInput } from '../../core/errors';
import { addDays } from '../../core/tenant-time';

export const YMD = /^\d{4}-\d{2}-\d{2}$/;

// A day argument or field is checked where it comes in: @IsDay (core/validation/calendar.ts) on its input or args class.

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
