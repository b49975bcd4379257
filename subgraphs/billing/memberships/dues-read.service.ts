import { trusted, Types } from 'mongoose';
import type { BillingContext } from '../context';
import { badInput, forbidden } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope, inLibraryScope } from '../../../core/scope/library-scope';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { todayOf } from './clock.service';
import { amountDue, depositDue, oldestDueDate } from './dues-ledger.service';
import { duesSummaryModel, type DuesSummaryDoc } from './dues.model';
import { chargesOf, duesState } from './dues.service';
import { membershipModel, RUNNING, type MembershipDoc } from './membership.model';
import { addDays, daysBetween } from '../../../core/tenant-time';

const overdue = (oldest: string | undefined | null, today: string) => (oldest && oldest < today ? oldest : undefined);

/** The student's running membership (active or frozen), newest first. */
export async function runningMembership(ctx: BillingContext, studentId: string): Promise<MembershipDoc | null> {
  const conn = await ctx.tenantDb();
  return membershipModel(conn)
    .findOne({ studentId, status: trusted({ $in: RUNNING }) })
    .sort({ startDate: -1 })
    .lean<MembershipDoc>();
}

/** Student.dues: the head of the student's dues chain, read once. */
export async function studentDues(ctx: BillingContext, studentId: string) {
  const conn = await ctx.tenantDb();
  const [{ state }, charges, membership] = await Promise.all([duesState(conn, studentId), chargesOf(conn, studentId), runningMembership(ctx, studentId)]);
  if (state.libraryId && !inLibraryScope(ctx, state.libraryId)) throw forbidden('This student is outside your branch scope');
  const today = todayOf(ctx.services);
  const open = new Map(state.open.map((c) => [c.id, c.outstanding]));
  const upcoming = [
    ...state.open.filter((c) => c.kind !== 'DEPOSIT' && c.dueDate >= today).map((c) => c.dueDate),
    ...(membership?.autoRenew ? [addDays(membership.endDate, 1)] : []),
  ].sort();
  return {
    amountDue: amountDue(state),
    advanceCredit: state.advance,
    depositHeld: state.depositHeld,
    depositDue: depositDue(state),
    overdueSince: overdue(oldestDueDate(state), today),
    nextDueDate: upcoming[0],
    membership: membership ?? undefined,
    charges: charges.map((c) => ({ ...c, outstanding: open.get(c.id) ?? 0, membershipId: c.membershipId ?? undefined })),
  };
}

/** Student.duesSummary (partners): from the maintained summary. */
export async function duesSummary(ctx: BillingContext, studentId: string) {
  const s = await duesSummaryModel(await ctx.tenantDb())
    .findById(new Types.ObjectId(studentId))
    .lean<DuesSummaryDoc>();
  if (s?.libraryId && !inLibraryScope(ctx, s.libraryId)) throw forbidden('This student is outside your branch scope');
  return { amountDue: s?.amountDue ?? 0, overdueSince: overdue(s?.oldestDueDate, todayOf(ctx.services)) };
}

/**
 * Students who owe money, biggest amount first, whether they ever paid or not;
 * with `overdueMoreThanDays`, only those whose oldest unpaid charge is more than
 * that many days past due. One indexed read of the per-student summaries.
 */
/** A page position in pendingDues' order (amount owed descending, then student id): opaque to clients. */
const cursorOf = (amountDue: number, id: Types.ObjectId) => Buffer.from(`${amountDue}:${id.toHexString()}`).toString('base64url');
function afterCursor(after: string): Record<string, unknown> {
  const m = /^(\d{1,12}):([0-9a-f]{24})$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!m) throw badInput('after', 'after must be a cursor from a previous page');
  const amount = Number(m[1]);
  const id = new Types.ObjectId(m[2]);
  return { $or: [{ amountDue: trusted({ $lt: amount }) }, { amountDue: amount, _id: trusted({ $gt: id }) }] };
}

export async function pendingDues(
  ctx: BillingContext,
  args: { first: number; after?: string | null; libraryId?: string | null; overdueMoreThanDays?: number | null },
) {
  const filter: Record<string, unknown> = { amountDue: trusted({ $gt: 0 }), ...libraryScopeFilter(ctx, 'libraryId', (id) => new Types.ObjectId(id)) };
  if (args.libraryId) {
    const lib = parseId(args.libraryId, 'libraryId');
    assertLibraryInScope(ctx, lib);
    filter.libraryId = lib;
  }
  const today = todayOf(ctx.services);
  if (args.overdueMoreThanDays != null) filter.oldestDueDate = trusted({ $lt: addDays(today, -args.overdueMoreThanDays) });
  if (args.after) Object.assign(filter, afterCursor(args.after));
  const rows = await duesSummaryModel(await ctx.tenantDb())
    .find(filter)
    .sort({ amountDue: -1, _id: 1 })
    .limit(args.first)
    .lean<DuesSummaryDoc[]>();
  const now = Date.now();
  return rows.map((r) => {
    const since = overdue(r.oldestDueDate, today);
    return {
      student: { id: r._id.toHexString() },
      cursor: cursorOf(r.amountDue, r._id),
      amountDue: r.amountDue,
      overdueSince: since,
      daysOverdue: since ? daysBetween(since, today) : 0,
      lastPaidAt: r.lastPaidAt ?? undefined,
      daysSinceLastPayment: r.lastPaidAt ? Math.floor((now - r.lastPaidAt.getTime()) / 86_400_000) : undefined,
    };
  });
}
