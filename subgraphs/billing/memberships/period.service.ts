import { addDays, addMonths } from '../../../core/tenant-time';

/**
 * Membership periods on the library's (Indian) calendar days, 'YYYY-MM-DD'
 * (the day arithmetic is core/tenant-time.ts).
 */

export enum FeeDuration {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  HALF_YEARLY = 'HALF_YEARLY',
  YEARLY = 'YEARLY',
  DAYS = 'DAYS',
}

const MONTHS: Record<Exclude<FeeDuration, FeeDuration.DAYS>, number> = {
  [FeeDuration.MONTHLY]: 1,
  [FeeDuration.QUARTERLY]: 3,
  [FeeDuration.HALF_YEARLY]: 6,
  [FeeDuration.YEARLY]: 12,
};

/** The last day (inclusive) of a period that starts on `start`. */
export function periodEnd(start: string, duration: FeeDuration, durationDays?: number | null): string {
  if (duration === FeeDuration.DAYS) return addDays(start, (durationDays ?? 1) - 1);
  return addDays(addMonths(start, MONTHS[duration]), -1);
}
