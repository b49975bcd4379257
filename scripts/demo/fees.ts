import { addDays, addMonths, istDay } from '../../core/tenant-time';
import type { TenantPlan } from './plan';
import { createRng, seedOf } from './random';

type Headers = Record<string, string>;

/** Each student's membership: started so that `owing` monthly periods are unpaid (0: paid up). */
export interface PlannedMembership {
  monthsAgo: number;
  daysEarlier: number;
  owing: number;
}

/**
 * Memberships from their own PRNG stream (`<slug>:fees`), so the rest of the
 * demo stays as it was. Students paid `payments.length` months; a quarter of
 * them owe one or two more, overdue by a few days to a month and more.
 */
export function planFees(plan: TenantPlan): PlannedMembership[] {
  const rng = createRng(seedOf(`${plan.tenant.slug}:fees`));
  return plan.students.map((s) => {
    const owing = rng.chance(0.25) ? (rng.chance(0.3) ? 2 : 1) : 0;
    return { monthsAgo: s.payments.length - 1 + owing, daysEarlier: rng.int(3, 20), owing };
  });
}

export interface FeesContext {
  auth: Headers;
  libraryIds: string[];
  studentIds: string[];
  must(what: string, query: string, variables: Record<string, unknown>, headers: Headers): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- GraphQL response data is untyped JSON; callers read the fields they need
}

/**
 * Per library a monthly plan (the tenant's fee, ₹50 late fee after 5 days) and a
 * quarterly one with a deposit; every student on the monthly plan from the
 * planned date; then one fee-cycle run renews the periods since, so the owing
 * students show up in pendingDues with amounts and late fees.
 */
export async function seedFees(plan: TenantPlan, c: FeesContext): Promise<void> {
  const { auth, must } = c;
  const slug = plan.tenant.slug;
  const fee = plan.students[0]!.payments[0]!.amount;
  const monthly: string[] = [];
  for (const [i, libraryId] of c.libraryIds.entries()) {
    const m = await must(
      `fee plan ${i}`,
      `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
      {
        i: {
          libraryId,
          name: 'Monthly, full day',
          description: 'Reserved seat, 6 am to 10 pm',
          duration: 'MONTHLY',
          price: fee,
          seatKind: 'RESERVED',
          lateFee: 5_000,
          graceDays: 5,
        },
      },
      auth,
    );
    monthly.push(m.createFeePlan.id);
    await must(
      `fee plan ${i} quarterly`,
      `mutation($i: CreateFeePlanInput!) { createFeePlan(input: $i) { id } }`,
      {
        i: {
          libraryId,
          name: 'Quarterly, any seat',
          duration: 'QUARTERLY',
          price: Math.round((fee * 3 * 0.9) / 100) * 100,
          seatKind: 'ANY',
          securityDeposit: 50_000,
        },
      },
      auth,
    );
  }
  const today = istDay(new Date());
  const memberships = planFees(plan);
  for (const [i, s] of plan.students.entries()) {
    const m = memberships[i]!;
    const startDate = addDays(addMonths(today, -m.monthsAgo), -m.daysEarlier);
    await must(
      `membership ${s.name}`,
      `mutation($i: AssignFeePlanInput!) { assignFeePlan(input: $i) { id } }`,
      {
        i: { studentId: c.studentIds[i], planId: monthly[s.library], startDate, idempotencyKey: `demo-${slug}-member-${i}` },
      },
      auth,
    );
  }
  await must('fee cycle', `mutation { runFeeCycle { renewed } }`, {}, auth);
}
