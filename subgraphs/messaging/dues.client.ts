import type { MessagingContext } from './context';
import { AppError } from '../../core/errors';
import { callSubgraph } from '../../core/internal';
import { PAGE_MAX } from '../../core/pagination';

/** Billing's explicit API for students who owe money, from its dues ledger (never its collections). */
const PENDING_DUES = 'query($d: Int!, $n: Int) { pendingDues(olderThanDays: $d, first: $n) { student { id } amountDue overdueSince daysOverdue } }';

export interface PendingDue { student: { id: string }; amountDue: number; overdueSince: string; daysOverdue: number }

/** Students owing money overdue by more than `days`, biggest amount first (at most `first`, 1..PAGE_MAX), with ctx's token. */
export async function pendingDues(ctx: MessagingContext, days: number, first: number): Promise<PendingDue[]> {
  const data = await callSubgraph<{ pendingDues: PendingDue[] }>(ctx, 'billing', PENDING_DUES, { d: days, n: first });
  return data.pendingDues;
}

/**
 * Ids of students who owe money overdue by more than `days`, from billing's dues
 * ledger (pendingDues) with the caller's token (so billing checks fees:read itself).
 * A full page (billing's page maximum, PAGE_MAX) may be cut short, so it is refused rather than half-used.
 */
export async function studentsWithDues(ctx: MessagingContext, days: number): Promise<Set<string>> {
  const dues = await pendingDues(ctx, days, PAGE_MAX);
  if (dues.length >= PAGE_MAX) {
    throw new AppError('LIMIT_EXCEEDED', `${PAGE_MAX} or more students have dues pending; narrow the filter`);
  }
  return new Set(dues.map((d) => d.student.id));
}
