import { badInput } from '../../core/errors';
import { addDays, isValidDay } from '../../core/tenant-time';

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
