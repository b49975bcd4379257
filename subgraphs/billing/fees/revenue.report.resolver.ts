import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { badInput } from '../../../core/errors';
import { tryParseId } from '../../../core/ids';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { pendingDues, revenueReport } from './revenue.report';
import { PendingDuesArgs, RevenueReportArgs } from './revenue.report.input';
import { PendingDue, RevenueReportRow } from './revenue.report.type';

const DAY = 24 * 3600 * 1000;

@Resolver()
export class RevenueReportResolver {
  @Query(() => [RevenueReportRow], { description: 'Net revenue grouped by any of library, method and month; sorted by month, library, method.' })
  async revenueReport(@Args(() => RevenueReportArgs) { groupBy, fromMonth, toMonth }: RevenueReportArgs, @Ctx() ctx: RequestContext) {
    if (fromMonth && toMonth && fromMonth > toMonth) throw badInput('toMonth', 'must not be before fromMonth');
    const rows = await revenueReport(await ctx.tenantDb(), groupBy, fromMonth, toMonth, libraryScopeFilter(ctx, 'libraryId', tryParseId));
    return rows.map((r) => ({ ...r, library: r.libraryId ? { id: r.libraryId } : undefined }));
  }

  @Query(() => [PendingDue], { description: 'Students whose latest payment is older than olderThanDays, longest overdue first (students never paid are not listed).' })
  async pendingDues(@Args(() => PendingDuesArgs) { olderThanDays, first }: PendingDuesArgs, @Ctx() ctx: RequestContext) {
    const now = Date.now();
    const dues = await pendingDues(await ctx.tenantDb(), new Date(now - olderThanDays * DAY), first ?? 100, libraryScopeFilter(ctx, 'libraryId', tryParseId));
    return dues.map((d) => ({
      student: { id: d.studentId }, lastPaidAt: d.lastPaidAt, daysSinceLastPayment: Math.floor((now - d.lastPaidAt.getTime()) / DAY),
    }));
  }
}
