import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { pendingDues } from './dues.read';
import { PendingDuesArgs } from './dues.input';
import { PendingDue } from './dues.type';

@Resolver()
export class DuesResolver {
  @Query(() => [PendingDue], { description: 'Students who owe money (from the dues ledger), biggest amount first, including students who never paid.' })
  pendingDues(@Args(() => PendingDuesArgs) { olderThanDays, first, libraryId }: PendingDuesArgs, @Ctx() ctx: RequestContext) {
    return pendingDues(ctx, { first: first ?? 100, libraryId, overdueMoreThanDays: olderThanDays });
  }
}
