import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageSize } from '../../core/pagination';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { WALLET_LEDGER_PAGE, WalletLedgerPageArgs } from './ledger.input';
import { LedgerEntry } from './ledger.type';
import { tenantRates } from './rates.service';
import { AllocateCreditsInput, SetLowBalanceThresholdArgs } from './wallet.input';
import { allocateCredits, callerWallet, setLowBalanceThreshold, walletLedger, type WalletSource } from './wallet.service';
import { CreditRates, Wallet } from './wallet.type';

@Resolver(() => Wallet)
export class WalletResolver {
  @Query(() => Wallet, { description: "The caller's tenant wallet." })
  wallet(@Ctx() ctx: CreditsContext) {
    return callerWallet(ctx);
  }

  @Mutation(() => Wallet, {
    description: 'Moves credits from the platform master wallet to a tenant (platform). Repeating an idempotencyKey allocates once.',
  })
  allocateCredits(@Arg('input', () => AllocateCreditsInput) input: AllocateCreditsInput, @Ctx() ctx: CreditsContext) {
    return allocateCredits(ctx, input);
  }

  @Mutation(() => Wallet, { description: "Sets the caller's low-balance threshold for one channel (owner)." })
  setLowBalanceThreshold(@Args(() => SetLowBalanceThresholdArgs) { channel, credits }: SetLowBalanceThresholdArgs, @Ctx() ctx: CreditsContext) {
    return setLowBalanceThreshold(ctx, channel, credits);
  }

  @FieldResolver(() => CreditRates, { description: "This tenant's price per credit in paise: its override or the platform rate (platform roles)." })
  rates(@Root() wallet: WalletSource, @Ctx() ctx: CreditsContext) {
    return tenantRates(ctx, wallet.id);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Applied movements, newest first.' })
  ledger(
    @Root() wallet: WalletSource,
    @Args(() => WalletLedgerPageArgs) { first }: WalletLedgerPageArgs,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return walletLedger(ctx, wallet, pageSize(first, WALLET_LEDGER_PAGE), channel ?? undefined);
  }
}
