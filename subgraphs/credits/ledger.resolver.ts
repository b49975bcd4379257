import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { LedgerEntry } from './ledger.type';
import { callerLedger } from './wallet.service';

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  @Query(() => [LedgerEntry], { description: 'Applied credit movements of the caller\'s tenant, newest first.' })
  creditLedger(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return callerLedger(ctx, first, channel ?? undefined);
  }
}
