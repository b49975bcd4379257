import { Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { TenantContext } from '../context';
import { PlatformTotalsArgs } from './platform-totals.input';
import { platformTotals } from './platform-totals.service';
import { PlatformTotals } from './platform-totals.type';
import { rollupTenantSnapshots } from './tenant-snapshot.service';

@Resolver(() => PlatformTotals)
export class PlatformTotalsResolver {
  @Query(() => PlatformTotals, {
    description: 'Tenants by status, plan and month, with students and collected revenue across tenants (from snapshots refreshed by a periodic rollup).',
  })
  platformTotals(@Args() { months }: PlatformTotalsArgs, @Ctx() ctx: TenantContext) {
    return platformTotals(ctx, months);
  }

  @Mutation(() => Int, { description: "Refreshes every active tenant's snapshot now (it also runs on a timer); answers how many were refreshed." })
  refreshPlatformTotals(@Ctx() ctx: TenantContext) {
    return rollupTenantSnapshots(ctx, 0);
  }
}
