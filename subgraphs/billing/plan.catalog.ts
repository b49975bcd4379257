/** The platform's SaaS plans, owned by billing (the tenant registry copies limits from `plan.changed`). */
export enum SaasPlan {
  FREE = 'free',
  STARTER = 'starter',
  PROFESSIONAL = 'professional',
  ENTERPRISE = 'enterprise',
}

export enum BillingCycle {
  MONTHLY = 'monthly',
  QUARTERLY = 'quarterly',
  HALF_YEARLY = 'half_yearly',
  ANNUAL = 'annual',
}

export interface PlanLimitsValue {
  maxLibraries: number;
  maxStudents: number;
  maxStaff: number;
}

interface PlanSpec {
  /** Higher is bigger: moving up is an upgrade (immediate), down a downgrade (at period end). */
  rank: number;
  limits: PlanLimitsValue;
  /** Price per cycle in paise, GST included. */
  prices: Record<BillingCycle, number>;
}

export const CYCLE_MONTHS: Record<BillingCycle, number> = {
  [BillingCycle.MONTHLY]: 1, [BillingCycle.QUARTERLY]: 3, [BillingCycle.HALF_YEARLY]: 6, [BillingCycle.ANNUAL]: 12,
};

export const PLANS: Record<SaasPlan, PlanSpec> = {
  [SaasPlan.FREE]: {
    rank: 0, limits: { maxLibraries: 1, maxStudents: 50, maxStaff: 3 },
    prices: { monthly: 0, quarterly: 0, half_yearly: 0, annual: 0 },
  },
  [SaasPlan.STARTER]: {
    rank: 1, limits: { maxLibraries: 3, maxStudents: 300, maxStaff: 10 },
    prices: { monthly: 99_900, quarterly: 284_700, half_yearly: 539_400, annual: 959_000 },
  },
  [SaasPlan.PROFESSIONAL]: {
    rank: 2, limits: { maxLibraries: 10, maxStudents: 2000, maxStaff: 50 },
    prices: { monthly: 249_900, quarterly: 712_200, half_yearly: 1_349_400, annual: 2_399_000 },
  },
  [SaasPlan.ENTERPRISE]: {
    rank: 3, limits: { maxLibraries: 100, maxStudents: 100_000, maxStaff: 1000 },
    prices: { monthly: 799_900, quarterly: 2_279_700, half_yearly: 4_319_400, annual: 7_679_000 },
  },
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
