import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { StudentContext } from './context';
import { ChurnDaysArgs } from './churn.input';
import { churnRisk } from './churn.service';
import { ChurnRiskEntry } from './churn.type';

@Resolver()
export class ChurnResolver {
  @Query(() => [ChurnRiskEntry], {
    description: 'Active students with no check-in for `days` days (or never, having joined at least that long ago), idlest first.',
  })
  churnRisk(
    @Args() { days }: ChurnDaysArgs,
    @Arg('libraryId', () => ID, { nullable: true }) libraryId: string | undefined,
    @Args() { first }: PageArgs,
    @Ctx() ctx: StudentContext,
  ) {
    return churnRisk(ctx, days, libraryId ?? undefined, pageSize(first));
  }
}
