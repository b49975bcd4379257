import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { findTenant } from '../../core/tenancy/registry';
import { Channel } from './channel';
import { checkFirst, ledgerModel, listLedger } from './ledger.model';
import { LedgerEntry } from './ledger.type';
import { tenantRates } from './rates.model';
import { transferToTenant } from './transfer.service';
import { AllocateCreditsInput } from './wallet.input';
import { headSeqs, requestWallet, walletOf, type WalletSource } from './wallet.service';
import { WALLET_ID } from './wallet.model';
import { snapshot, tenantBook } from './ledger.service';
import { CreditRates, Wallet } from './wallet.type';

@Resolver(() => Wallet)
export class WalletResolver {
  @Query(() => Wallet, { description: 'The caller\'s tenant wallet.' })
  async wallet(@Ctx() ctx: RequestContext) {
    const tenant = await ctx.tenant();
    return requestWallet(ctx, { id: tenant._id.toHexString(), dbName: tenant.dbName });
  }

  @Mutation(() => Wallet, {
    description: 'Moves credits from the platform master wallet to a tenant (platform). Repeating an idempotencyKey allocates once.',
  })
  async allocateCredits(@Arg('input', () => AllocateCreditsInput) input: AllocateCreditsInput, @Ctx() ctx: RequestContext) {
    const tenant = await findTenant(ctx.db.platform(), { id: input.tenantId });
    if (!tenant) throw notFound('Tenant');
    // Its database (and the ledger's unique key index) may not exist yet.
    if (tenant.status === 'provisioning') throw new AppError('SERVICE_UNAVAILABLE', 'This tenant is still being provisioned');
    const rates = await tenantRates(ctx, input.tenantId);
    await transferToTenant(ctx, {
      tenantId: input.tenantId,
      dbName: tenant.dbName,
      channel: input.channel,
      credits: input.amount,
      masterKey: `alloc:${input.idempotencyKey}`,
      // The pre-master key format: old allocations keep answering their retries.
      tenantKey: `allocation:${input.idempotencyKey}`,
      keyField: 'idempotencyKey',
      reason: 'allocation',
      masterTarget: input.tenantId,
      reference: input.idempotencyKey,
      revenuePaise: input.amount * rates[input.channel],
      note: input.note,
      createdBy: ctx.auth?.sub,
    });
    return walletOf({ id: input.tenantId, dbName: tenant.dbName }, ctx);
  }

  @Mutation(() => Wallet, { description: 'Sets the caller\'s low-balance threshold for one channel (owner).' })
  async setLowBalanceThreshold(
    @Arg('channel', () => Channel) channel: Channel,
    @Arg('credits', () => Int) credits: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (!Number.isInteger(credits) || credits < 0 || credits > 10_000_000) throw badInput('credits', 'must be between 0 and 10000000');
    const tenant = await ctx.tenant();
    const book = tenantBook(await ctx.tenantDb());
    await snapshot(book); // creates the wallet document on first use
    await book.hints.updateOne({ _id: WALLET_ID }, { $set: { [`thresholds.${channel}`]: credits } });
    return walletOf({ id: tenant._id.toHexString(), dbName: tenant.dbName }, ctx);
  }

  @FieldResolver(() => CreditRates, { description: 'This tenant\'s price per credit in paise: its override or the platform rate (platform roles).' })
  rates(@Root() wallet: WalletSource, @Ctx() ctx: RequestContext) {
    return tenantRates(ctx, wallet.id);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Applied movements, newest first.' })
  async ledger(
    @Root() wallet: WalletSource,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    const limit = checkFirst(first, 20);
    return listLedger(ledgerModel(ctx.db.tenant(wallet.dbName)), await headSeqs(wallet), limit, channel ?? undefined);
  }
}
