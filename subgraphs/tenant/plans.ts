import type { TenantLimits } from '../../core/tenancy/registry';

/** Default limits per SaaS plan (the master plan's tiers). */
export const PLAN_LIMITS: Record<string, TenantLimits> = {
  free: { maxLibraries: 1, maxStudents: 50, maxStaff: 3 },
  starter: { maxLibraries: 3, maxStudents: 300, maxStaff: 10 },
  professional: { maxLibraries: 10, maxStudents: 2000, maxStaff: 50 },
  enterprise: { maxLibraries: 100, maxStudents: 100000, maxStaff: 1000 },
};

export const PLAN_NAMES = Object.keys(PLAN_LIMITS);
