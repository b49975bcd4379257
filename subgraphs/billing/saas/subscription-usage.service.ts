import type { BillingContext } from '../context';
import { AppError } from '../../../core/errors';
import { studentCount } from '../fees/student.client';
import { tenantCounts } from '../fees/tenant.client';
import { PLANS, type PlanLimitsValue, type SaasPlan } from './plan-catalog.service';

export interface Usage {
  libraries: number;
  students: number;
  staff: number;
}

/** The tenant's current usage, asked of the subgraphs that own it (with the caller's token). */
export async function tenantUsage(ctx: BillingContext): Promise<Usage> {
  const [students, tenant] = await Promise.all([studentCount(ctx), tenantCounts(ctx)]);
  return { libraries: tenant.libraries, students, staff: tenant.staff };
}

/** LIMIT_EXCEEDED naming what is over the plan's limits; nothing is changed. */
export async function assertFits(ctx: BillingContext, plan: SaasPlan): Promise<void> {
  const limits: PlanLimitsValue = PLANS[plan].limits;
  const usage = await tenantUsage(ctx);
  const over = [
    usage.libraries > limits.maxLibraries ? `${usage.libraries} libraries (max ${limits.maxLibraries})` : '',
    usage.students > limits.maxStudents ? `${usage.students} students (max ${limits.maxStudents})` : '',
    usage.staff > limits.maxStaff ? `${usage.staff} staff (max ${limits.maxStaff})` : '',
  ].filter(Boolean);
  if (over.length) throw new AppError('LIMIT_EXCEEDED', `The ${plan} plan does not fit current usage: ${over.join(', ')}`);
}
