import { trusted, type Connection } from 'mongoose';
import { useDueMarks } from '../../../core/jobs/due-marks';
import type { ContextDeps } from '../../../core/context';
import { addDays, istDay, istMidnight } from '../../../core/tenant-time';
import type { BillingContext } from '../context';
import { nowOf } from './clock.service';
import { duesSummaryModel } from './dues.model';
import { MembershipStatus, RUNNING, membershipModel } from './membership.model';

/** Platform collection of the tenants whose fee cycle is due (billing owns it). */
export const FEE_CYCLE_DUE_COLLECTION = 'fee_cycle_due';

/** Each tenant's daily pass comes due at a fixed moment within this long after midnight in India, so 10,000 tenants do not all come due at once. */
export const FEE_CYCLE_SPREAD_MS = 3600_000;

/** Work a pass left over (over MAX_PERIODS_PER_RUN periods to catch up, a renewal that kept losing a race) is tried again this soon. */
export const FEE_CYCLE_RETRY_MS = 5 * 60_000;

/** A tenant reactivated after a paid SaaS invoice is marked this far on: the tenant subgraph reactivates it from the event meanwhile (a mark found while it is still suspended is dropped). */
export const FEE_CYCLE_REACTIVATED_MS = 5 * 60_000;

/** Which tenants' fee cycle is due: every tenant with fees once a day, and at once after a membership change. */
export const feeCycleMarks = (deps: Pick<ContextDeps, 'db'>) => feeCycleMarksOn(() => deps.db.platform());
const feeCycleMarksOn = (platform: () => Connection) => useDueMarks({ platform, collection: FEE_CYCLE_DUE_COLLECTION });

/** A fixed offset per tenant within FEE_CYCLE_SPREAD_MS (its id's last bytes: ObjectIds end in a counter, so they spread evenly). */
const offsetOf = (tenantId: string) => (parseInt(tenantId.slice(-6), 16) % 3600) * (FEE_CYCLE_SPREAD_MS / 3600);

/** The tenant's next daily pass: after the next midnight in India (every step of the cycle is a matter of days). */
export function nextFeeCycleDay(tenantId: string, now: Date): Date {
  return new Date(istMidnight(addDays(istDay(now), 1)) + offsetOf(tenantId));
}

/**
 * When the tenant's next pass is due, from its own data: soon while a pass left work that is
 * due today; daily while it has a running membership or owes anything (a late fee can come
 * due on a cancelled one's charge); otherwise none until a membership change marks it again.
 */
export async function nextFeeCycle(conn: Connection, tenantId: string, now: Date): Promise<Date | null> {
  const today = istDay(now);
  const Members = membershipModel(conn);
  const leftOver =
    (await Members.exists({ status: MembershipStatus.ACTIVE, endDate: trusted({ $lt: today }) })) ||
    (await Members.exists({ status: MembershipStatus.FROZEN, frozenUntil: trusted({ $lt: today }) }));
  if (leftOver) return new Date(now.getTime() + FEE_CYCLE_RETRY_MS);
  const running = await Members.exists({ status: trusted({ $in: RUNNING }) });
  const owing = running ? null : await duesSummaryModel(conn).exists({ amountDue: trusted({ $gt: 0 }) });
  return running || owing ? nextFeeCycleDay(tenantId, now) : null;
}

/**
 * After a membership change through the API: the tenant's cycle runs within a job period,
 * not at the next midnight (a start in the past leaves renewals and late fees due today).
 */
export async function markFeeCycleDue(ctx: BillingContext): Promise<void> {
  const tenantId = (await ctx.tenant())._id.toHexString();
  // The change is saved: a lost mark must not fail it (a retry without a key would renew
  // again). The daily pass or the sweep does the work later.
  await feeCycleMarks(ctx)
    .mark(tenantId, nowOf(ctx.services))
    .catch((err: unknown) => ctx.log.error({ err }, 'fee cycle not marked after a membership change'));
}

/** A tenant back from a suspension for an unpaid SaaS invoice: its fee cycle stalled meanwhile. */
export async function markFeeCycleAfterReactivation(platform: Connection, tenantId: string, at: Date): Promise<void> {
  await feeCycleMarksOn(() => platform).mark(tenantId, new Date(at.getTime() + FEE_CYCLE_REACTIVATED_MS));
}
