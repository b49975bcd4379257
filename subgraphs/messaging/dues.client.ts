import type { MessagingContext } from './context';
import { AppError } from '../../core/errors';
import { callSubgraph } from '../../core/internal';

const PENDING_DUES = 'query($d: Int!, $n: Int) { pendingDues(olderThanDays: $d, first: $n) { student { id } } }';
/** Billing's page limit for pendingDues. */
const MAX_DUES = 500;

/**
 * Ids of students who owe money overdue by more than `days`, from billing's dues
 * ledger (pendingDues) with the caller's token (so billing checks fees:read itself).
 * A full page may be cut short, so it is refused rather than half-used.
 */
export async function studentsWithDues(ctx: MessagingContext, days: number): Promise<Set<string>> {
  const { pendingDues } = await callSubgraph<{ pendingDues: { student: { id: string } }[] }>(
    ctx, 'billing', PENDING_DUES, { d: days, n: MAX_DUES },
  );
  if (pendingDues.length >= MAX_DUES) {
    throw new AppError('LIMIT_EXCEEDED', `${MAX_DUES} or more students have dues pending; narrow the filter`);
  }
  return new Set(pendingDues.map((d) => d.student.id));
}
