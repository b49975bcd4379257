import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { TenantContext } from '../context';
import { LeadFunnelArgs } from './lead-report.input';
import { leadFunnel } from './lead-report.service';
import { LeadFunnel } from './lead-report.type';

@Resolver(() => LeadFunnel)
export class LeadReportResolver {
  @Query(() => LeadFunnel, { description: 'Leads created in [from, to) by current stage and by source, with win rates.' })
  leadFunnel(@Args() { from, to }: LeadFunnelArgs, @Ctx() ctx: TenantContext) {
    return leadFunnel(ctx, from, to);
  }
}
