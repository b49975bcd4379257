import { trusted, type Connection } from 'mongoose';
import { useDueMarks } from '../../../core/jobs/due-marks';
import type { ContextDeps } from '../../../core/context';
import { refundModel, type RefundDoc } from './refund.model';

/** Platform collection of the tenants with a gateway refund to reconcile (billing owns it). */
export const REFUND_DUE_COLLECTION = 'refund_due';

/** A refund left pending is asked about after this: the request that timed out has long ended. */
export const RECHECK_MS = 2 * 60_000;

/** One still pending at the gateway is asked again after this. */
export const RETRY_MS = 15 * 60_000;

/**
 * A refund the gateway says it never got is failed (and its amount refundable again) only
 * once it is this old: several answers apart, so one wrong or early "not found" (an API glitch)
 * cannot lead to a second refund of money the gateway did return.
 */
export const ABSENT_FAIL_MS = 30 * 60_000;

/** Which tenants have a refund to reconcile: marked when a gateway refund times out, settled by the reconcile job. */
export const refundDueMarks = (deps: Pick<ContextDeps, 'db'>) => useDueMarks({ platform: () => deps.db.platform(), collection: REFUND_DUE_COLLECTION });

/** Refunds still pending at the gateway, or whose outcome's effects are not all written (`settling`). */
const unsettled = { $or: [{ status: 'pending' as const }, { settling: true }] };

/** When the tenant's next unsettled refund is due to be looked at (null: none). */
export async function nextRefundCheck(conn: Connection, now: Date): Promise<Date | null> {
  const oldest = await refundModel(conn).findOne(unsettled, { createdAt: 1 }).sort({ createdAt: 1 }).lean<Pick<RefundDoc, 'createdAt'>>();
  if (!oldest) return null;
  const first = oldest.createdAt.getTime() + RECHECK_MS;
  return new Date(first > now.getTime() ? first : now.getTime() + RETRY_MS);
}

/** Refunds to ask about or finish, old enough that the request that made them has long ended. */
export const refundsToCheck = (conn: Connection, now: Date) =>
  refundModel(conn)
    .find({ ...unsettled, createdAt: trusted({ $lte: new Date(now.getTime() - RECHECK_MS) }) })
    .lean<RefundDoc[]>();
