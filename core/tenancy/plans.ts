import { TENANT_MODULES, type TenantLimits, type TenantModules } from './registry';

/**
 * The one table of the platform's SaaS plans: limits, default modules and prices.
 * The tenant subgraph reads limits and modules from it (registry, enforcement);
 * billing reads rank and prices (subscriptions, proration).
 */
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

export interface PlanSpec {
  /** Higher is bigger: moving up is an upgrade (immediate), down a downgrade (at period end). */
  rank: number;
  limits: TenantLimits;
  /** Modules switched on unless the tenant overrides them (setTenantModules). */
  modules: Required<TenantModules>;
  /** Price per cycle in paise, GST included. */
  prices: Record<BillingCycle, number>;
}

export const PLANS: Record<SaasPlan, PlanSpec> = {
  [SaasPlan.FREE]: {
    rank: 0,
    limits: { maxLibraries: 1, maxStudents: 50, maxStaff: 3 },
    modules: { attendance: true, bookings: true, payments: false, messaging: false, analytics: false },
    prices: { monthly: 0, quarterly: 0, half_yearly: 0, annual: 0 },
  },
  [SaasPlan.STARTER]: {
    rank: 1,
    limits: { maxLibraries: 3, maxStudents: 300, maxStaff: 10 },
    modules: { attendance: true, bookings: true, payments: true, messaging: false, analytics: false },
    prices: { monthly: 99_900, quarterly: 284_700, half_yearly: 539_400, annual: 959_000 },
  },
  [SaasPlan.PROFESSIONAL]: {
    rank: 2,
    limits: { maxLibraries: 10, maxStudents: 2000, maxStaff: 50 },
    modules: { attendance: true, bookings: true, payments: true, messaging: true, analytics: true },
    prices: { monthly: 249_900, quarterly: 712_200, half_yearly: 1_349_400, annual: 2_399_000 },
  },
  [SaasPlan.ENTERPRISE]: {
    rank: 3,
    limits: { maxLibraries: 100, maxStudents: 100_000, maxStaff: 1000 },
    modules: { attendance: true, bookings: true, payments: true, messaging: true, analytics: true },
    prices: { monthly: 799_900, quarterly: 2_279_700, half_yearly: 4_319_400, annual: 7_679_000 },
  },
};

export const PLAN_NAMES: string[] = Object.values(SaasPlan);

export const isPlan = (name: string): name is SaasPlan => (PLAN_NAMES as string[]).includes(name);

/** A plan's limits (unknown names get the free plan's). */
export const planLimits = (plan: string): TenantLimits => ({ ...(isPlan(plan) ? PLANS[plan] : PLANS.free).limits });

/** The tenant's effective modules: plan defaults, then its own switches. */
export function effectiveModules(plan: string, own: TenantModules | undefined): Required<TenantModules> {
  const out = { ...(isPlan(plan) ? PLANS[plan] : PLANS.free).modules };
  for (const m of TENANT_MODULES) if (typeof own?.[m] === 'boolean') out[m] = own[m]!;
  return out;
}
