import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { Channel } from './channel';
import { checkFirst, ledgerModel, listLedger } from './ledger.model';
import { LedgerEntry } from './ledger.type';
import { headSeqs, requestWallet } from './wallet.service';

@Resolver(() => LedgerEntry)
export class LedgerResolver {
  @Query(() => [LedgerEntry], { description: 'Applied credit movements of the caller\'s tenant, newest first.' })
  async creditLedger(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    const limit = checkFirst(first, 50);
    const tenant = await ctx.tenant();
    // The ledger is listed back from the chain heads the balances were read at.
    const wallet = requestWallet(ctx, { id: tenant._id.toHexString(), dbName: tenant.dbName });
    return listLedger(ledgerModel(await ctx.tenantDb()), await headSeqs(wallet), limit, channel ?? undefined);
  }
}
