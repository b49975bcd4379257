import type { MessagingContext } from './context';
import { AppError } from '../../core/errors';
import { callSubgraph } from '../../core/internal';
import { PAGE_MAX } from '../../core/pagination';

/** Billing's explicit API for students who owe money, from its dues ledger (never its collections). */
const PENDING_DUES =
  'query($d: Int!, $n: Int, $a: String) { pendingDues(olderThanDays: $d, first: $n, after: $a) { student { id } cursor amountDue overdueSince daysOverdue } }';

export interface PendingDue {
  student: { id: string };
  cursor: string;
  amountDue: number;
  overdueSince: string;
  daysOverdue: number;
}

/** Most students one dues read returns (a reminder run, the bulk-send dues filter), in pages of PAGE_MAX. */
export const MAX_DUES = 500;

/**
 * Students owing money overdue by more than `days`, biggest amount first, at most `limit`,
 * with ctx's token: billing's pages (PAGE_MAX rows each) read one after another by cursor.
 */
export async function pendingDues(ctx: MessagingContext, days: number, limit: number): Promise<PendingDue[]> {
  const all: PendingDue[] = [];
  let after: string | null = null;
  while (all.length < limit) {
    const n = Math.min(PAGE_MAX, limit - all.length);
    const page: PendingDue[] = (await callSubgraph<{ pendingDues: PendingDue[] }>(ctx, 'billing', PENDING_DUES, { d: days, n, a: after })).pendingDues;
    all.push(...page);
    if (page.length < n) break;
    after = page[page.length - 1].cursor;
  }
  return all;
}

/**
 * Ids of students who owe money overdue by more than `days`, from billing's dues
 * ledger (pendingDues) with the caller's token (so billing checks fees:read itself).
 * MAX_DUES or more may be cut short, so that is refused rather than half-used.
 */
export async function studentsWithDues(ctx: MessagingContext, days: number): Promise<Set<string>> {
  const dues = await pendingDues(ctx, days, MAX_DUES);
  if (dues.length >= MAX_DUES) {
    throw new AppError('LIMIT_EXCEEDED', `${MAX_DUES} or more students have dues pending; narrow the filter`);
  }
  return new Set(dues.map((d) => d.student.id));
}
