import { BillingCycle, PLANS, SaasPlan, type PlanSpec } from '../../../core/tenancy/plans';
import type { TenantLimits } from '../../../core/tenancy/registry';

/** Billing's view of the one plan table (core/tenancy/plans.ts): cycles, periods, proration. */
export { BillingCycle, PLANS, SaasPlan, type PlanSpec };
export type PlanLimitsValue = TenantLimits;

export const CYCLE_MONTHS: Record<BillingCycle, number> = {
  [BillingCycle.MONTHLY]: 1,
  [BillingCycle.QUARTERLY]: 3,
  [BillingCycle.HALF_YEARLY]: 6,
  [BillingCycle.ANNUAL]: 12,
};

export const TRIAL_DAYS = 14;
export const DAY_MS = 24 * 3600 * 1000;

export const priceOf = (plan: SaasPlan, cycle: BillingCycle) => PLANS[plan].prices[cycle];

/** `at` plus whole calendar months (UTC), the day clamped to the month's end (31 Jan + 1 = 28/29 Feb). */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export const periodEndOf = (start: Date, cycle: BillingCycle) => addMonths(start, CYCLE_MONTHS[cycle]);

/**
 * Upgrade proration, in whole days and integer paise:
 *   periodDays = round((periodEnd − periodStart) / 1 day)
 *   unusedDays = floor((periodEnd − now) / 1 day), at least 0 (a started day counts as used)
 *   credit     = floor(periodPrice × unusedDays / periodDays)
 *   amountDue  = max(0, newPrice − credit)
 * The new plan starts a full new period of its cycle now.
 */
export function prorate(p: { periodStart: Date; periodEnd: Date; periodPrice: number; now: Date; newPrice: number }) {
  const periodDays = Math.max(1, Math.round((p.periodEnd.getTime() - p.periodStart.getTime()) / DAY_MS));
  const unusedDays = Math.min(periodDays, Math.max(0, Math.floor((p.periodEnd.getTime() - p.now.getTime()) / DAY_MS)));
  const credit = Math.floor((p.periodPrice * unusedDays) / periodDays);
  return { periodDays, unusedDays, credit, amountDue: Math.max(0, p.newPrice - credit) };
}
