import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { AppError, notFound } from '../../core/errors';
import { findTenant } from '../../core/tenancy/registry';
import { Channel } from './channel';
import { checkFirst, listLedger } from './ledger.model';
import { LedgerEntry } from './ledger.type';
import { loadRates } from './rates.model';
import { AllocateCreditsInput } from './wallet.input';
import { toWallet, walletLoader } from './wallet.loader';
import { applyMovement, readWallet } from './wallet.service';
import { CreditRates, Wallet } from './wallet.type';

@Resolver(() => Wallet)
export class WalletResolver {
  @Query(() => Wallet, { description: 'The caller\'s tenant wallet.' })
  async wallet(@Ctx() ctx: RequestContext) {
    const tenant = await ctx.tenant();
    return walletLoader(ctx).load({ id: tenant._id.toHexString(), dbName: tenant.dbName });
  }

  @Mutation(() => Wallet, { description: 'Adds prepaid credits to a tenant (platform). Repeating an idempotencyKey allocates once.' })
  async allocateCredits(@Arg('input', () => AllocateCreditsInput) input: AllocateCreditsInput, @Ctx() ctx: RequestContext) {
    const tenant = await findTenant(ctx.db.platform(), { id: input.tenantId });
    if (!tenant) throw notFound('Tenant');
    // Its database (and the ledger's unique key index) may not exist yet.
    if (tenant.status === 'provisioning') throw new AppError('SERVICE_UNAVAILABLE', 'This tenant is still being provisioned');
    const conn = ctx.db.tenant(tenant.dbName);
    await applyMovement(conn, {
      key: `allocation:${input.idempotencyKey}`,
      keyField: 'idempotencyKey',
      channel: input.channel,
      delta: input.amount,
      reason: 'allocation',
      reference: input.idempotencyKey,
      note: input.note,
      createdBy: ctx.auth?.sub,
    });
    return toWallet({ id: input.tenantId, dbName: tenant.dbName }, await readWallet(conn));
  }

  @FieldResolver(() => CreditRates, { description: 'Price per credit in paise (platform roles).' })
  rates(@Ctx() ctx: RequestContext) {
    return loadRates(ctx);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Applied movements, newest first.' })
  ledger(
    @Root() wallet: Wallet,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    return listLedger(ctx.db.tenant(wallet.dbName), wallet.heads, checkFirst(first, 20), channel ?? undefined);
  }
}
