import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PageArgs, pageSize } from '../../core/pagination';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { WALLET_LEDGER_PAGE, WalletLedgerPageArgs } from './ledger.input';
import { LedgerEntry } from './ledger.type';
import { masterLedger, purchaseFromVendor, readMaster, vendorPurchases } from './master.service';
import { PurchaseCreditsArgs } from './vendor.input';
import { vendorById } from './vendor.service';
import { MasterWallet, Vendor, VendorPurchase } from './vendor.type';

@Resolver(() => MasterWallet)
export class MasterWalletResolver {
  @Query(() => MasterWallet, { description: "The platform's credit stock (platform)." })
  masterWallet(@Ctx() ctx: CreditsContext) {
    return readMaster(ctx);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Master movements, newest first.' })
  ledger(
    @Root() wallet: MasterWallet,
    @Args(() => WalletLedgerPageArgs) { first }: WalletLedgerPageArgs,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return masterLedger(ctx, wallet, pageSize(first, WALLET_LEDGER_PAGE), channel ?? undefined);
  }
}

@Resolver(() => VendorPurchase)
export class VendorPurchaseResolver {
  @Mutation(() => VendorPurchase, { description: 'Buys credits from a vendor into the master wallet; a repeated idempotencyKey buys once.' })
  purchaseCreditsFromVendor(@Args(() => PurchaseCreditsArgs) args: PurchaseCreditsArgs, @Ctx() ctx: CreditsContext) {
    return purchaseFromVendor(ctx, args);
  }

  @Query(() => [VendorPurchase], { description: 'Purchases from vendors, newest first (platform).' })
  vendorPurchases(@Args(() => PageArgs) { first }: PageArgs, @Ctx() ctx: CreditsContext) {
    return vendorPurchases(ctx, pageSize(first));
  }

  @FieldResolver(() => Vendor, { nullable: true })
  vendor(@Root() p: VendorPurchase, @Ctx() ctx: CreditsContext) {
    return vendorById(ctx, p.vendorId);
  }
}
