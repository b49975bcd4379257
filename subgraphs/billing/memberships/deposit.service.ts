import type { BillingContext } from '../context';
import { conflict } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { assertLibraryInScope } from '../../../core/scope/library-scope';
import { nowOf, todayOf } from './clock.service';
import { runningMembership, studentDues } from './dues-read.service';
import { duesState, postDepositRelease } from './dues.service';

/**
 * Returns a leaving student's held deposit into their ledger, once per key: it
 * pays open dues, the rest is advance credit (paid out with refundPayment).
 * Refused while a membership runs: the deposit secures it.
 */
export async function releaseStudentDeposit(ctx: BillingContext, studentId: string, key: string) {
  const sid = parseId(studentId, 'studentId').toHexString();
  const conn = await ctx.tenantDb();
  const { state } = await duesState(conn, sid);
  if (state.libraryId) assertLibraryInScope(ctx, state.libraryId);
  if (await runningMembership(ctx, sid)) throw conflict('The student has a running membership: cancel it first', 'studentId');
  await postDepositRelease(conn, sid, `${sid}:${key}`, nowOf(ctx.services), todayOf(ctx.services));
  return studentDues(ctx, sid);
}
