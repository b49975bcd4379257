import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { tryParseId } from '../../../core/ids';
import { libraryScopeFilter } from '../../../core/scope/library-scope';
import { revenueReport } from './revenue-report.service';
import { RevenueReportArgs } from './revenue-report.input';
import { RevenueReportRow } from './revenue-report.type';

@Resolver()
export class RevenueReportResolver {
  @Query(() => [RevenueReportRow], { description: 'Net revenue grouped by any of library, method and month; sorted by month, library, method.' })
  async revenueReport(@Args(() => RevenueReportArgs) { groupBy, fromMonth, toMonth }: RevenueReportArgs, @Ctx() ctx: BillingContext) {
    const rows = await revenueReport(await ctx.tenantDb(), groupBy, fromMonth, toMonth, libraryScopeFilter(ctx, 'libraryId', tryParseId));
    return rows.map((r) => ({ ...r, library: r.libraryId ? { id: r.libraryId } : undefined }));
  }
}
