import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { StudentContext } from '../context';
import { TicketRangeArgs, TicketReportArgs } from './ticket.input';
import { TicketAgeRow, TicketResolutionRow, TicketSlaBreachReport } from './ticket-report.type';
import { ticketAgeReport, ticketResolutionTimes, ticketSlaBreaches } from './ticket-report.service';

@Resolver()
export class TicketReportResolver {
  @Query(() => [TicketAgeRow], { description: 'Open tickets per library by age: <1 d, 1-3 d, 3-7 d, >7 d.' })
  ticketAgeReport(@Args() args: TicketReportArgs, @Ctx() ctx: StudentContext) {
    return ticketAgeReport(ctx, args);
  }

  @Query(() => TicketSlaBreachReport, { description: 'SLA breaches detected in [from, to).' })
  ticketSlaBreaches(@Args() args: TicketRangeArgs, @Ctx() ctx: StudentContext) {
    return ticketSlaBreaches(ctx, args);
  }

  @Query(() => [TicketResolutionRow], { description: 'Mean resolution time per library of the tickets resolved in [from, to).' })
  ticketResolutionTimes(@Args() args: TicketRangeArgs, @Ctx() ctx: StudentContext) {
    return ticketResolutionTimes(ctx, args);
  }
}
