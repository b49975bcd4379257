import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { LedgerEntry } from './ledger.type';
import { callerLedger } from './wallet.service';

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  @Query(() => [LedgerEntry], { description: "Applied credit movements of the caller's tenant, newest first." })
  creditLedger(
    @Args(() => PageArgs) { first }: PageArgs,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return callerLedger(ctx, pageSize(first), channel ?? undefined);
  }
}
