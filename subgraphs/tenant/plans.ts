import { TENANT_MODULES, type TenantLimits, type TenantModules } from '../../core/tenancy/registry';

/** Default limits per SaaS plan (the master plan's tiers). */
export const PLAN_LIMITS: Record<string, TenantLimits> = {
  free: { maxLibraries: 1, maxStudents: 50, maxStaff: 3 },
  starter: { maxLibraries: 3, maxStudents: 300, maxStaff: 10 },
  professional: { maxLibraries: 10, maxStudents: 2000, maxStaff: 50 },
  enterprise: { maxLibraries: 100, maxStudents: 100000, maxStaff: 1000 },
};

export const PLAN_NAMES = Object.keys(PLAN_LIMITS);

/** Modules each plan switches on unless the tenant overrides them (setTenantModules). */
export const PLAN_MODULES: Record<string, Required<TenantModules>> = {
  free: { attendance: true, bookings: true, payments: false, messaging: false, analytics: false },
  starter: { attendance: true, bookings: true, payments: true, messaging: false, analytics: false },
  professional: { attendance: true, bookings: true, payments: true, messaging: true, analytics: true },
  enterprise: { attendance: true, bookings: true, payments: true, messaging: true, analytics: true },
};

/** The tenant's effective modules: plan defaults, then its own switches. */
export function effectiveModules(plan: string, own: TenantModules | undefined): Required<TenantModules> {
  const base = PLAN_MODULES[plan] ?? PLAN_MODULES.free;
  const out = { ...base };
  for (const m of TENANT_MODULES) if (typeof own?.[m] === 'boolean') out[m] = own[m]!;
  return out;
}
