import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { releaseStudentDeposit } from './deposit.service';
import { pendingDues } from './dues-read.service';
import { PendingDuesArgs, ReleaseDepositArgs } from './dues.input';
import { Dues, PendingDue } from './dues.type';
import { toMembership } from './membership-view.service';

@Resolver()
export class DuesResolver {
  @Query(() => [PendingDue], { description: 'Students who owe money (from the dues ledger), biggest amount first, including students who never paid.' })
  pendingDues(@Args(() => PendingDuesArgs) { olderThanDays, first, after, libraryId }: PendingDuesArgs, @Ctx() ctx: BillingContext) {
    return pendingDues(ctx, { first: first ?? 100, after, libraryId, overdueMoreThanDays: olderThanDays });
  }

  @Mutation(() => Dues, {
    description:
      "Returns a leaving student's held security deposit: it pays open dues, the rest becomes advance credit (pay it out with refundPayment). Once per idempotencyKey.",
  })
  async releaseDeposit(@Args(() => ReleaseDepositArgs) { studentId, idempotencyKey }: ReleaseDepositArgs, @Ctx() ctx: BillingContext) {
    const d = await releaseStudentDeposit(ctx, studentId, idempotencyKey);
    return { ...d, membership: d.membership ? toMembership(d.membership) : undefined };
  }
}
