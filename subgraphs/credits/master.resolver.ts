import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { LedgerEntry } from './ledger.type';
import { masterLedger, purchaseFromVendor, readMaster, vendorPurchases } from './master.service';
import { PurchaseCreditsArgs } from './vendor.input';
import { vendorById } from './vendor.service';
import { MasterWallet, Vendor, VendorPurchase } from './vendor.type';

@Resolver(() => MasterWallet)
export class MasterWalletResolver {
  @Query(() => MasterWallet, { description: 'The platform\'s credit stock (platform).' })
  masterWallet(@Ctx() ctx: CreditsContext) {
    return readMaster(ctx);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Master movements, newest first.' })
  ledger(
    @Root() wallet: MasterWallet,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: CreditsContext,
  ) {
    return masterLedger(ctx, wallet, first, channel ?? undefined);
  }
}

@Resolver(() => VendorPurchase)
export class VendorPurchaseResolver {
  @Mutation(() => VendorPurchase, { description: 'Buys credits from a vendor into the master wallet; a repeated idempotencyKey buys once.' })
  purchaseCreditsFromVendor(@Args(() => PurchaseCreditsArgs) args: PurchaseCreditsArgs, @Ctx() ctx: CreditsContext) {
    return purchaseFromVendor(ctx, args);
  }

  @Query(() => [VendorPurchase], { description: 'Purchases from vendors, newest first (platform).' })
  vendorPurchases(@Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null, @Ctx() ctx: CreditsContext) {
    return vendorPurchases(ctx, first);
  }

  @FieldResolver(() => Vendor, { nullable: true })
  vendor(@Root() p: VendorPurchase, @Ctx() ctx: CreditsContext) {
    return vendorById(ctx, p.vendorId);
  }
}
