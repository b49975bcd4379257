import { Arg, Args, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { notFound } from '../../core/errors';
import { Channel } from './channel';
import { checkFirst, listLedger, masterLedgerModel, type LedgerDoc } from './ledger.model';
import { LedgerEntry } from './ledger.type';
import { PurchaseCreditsArgs } from './vendor.input';
import { toVendor, vendorLoader } from './vendor.model';
import { MasterWallet, Vendor, VendorPurchase } from './vendor.type';
import { applyMovement, masterBook, readWallet } from './ledger.service';

const toPurchase = (e: LedgerDoc): VendorPurchase => ({
  id: e._id, vendorId: e.target ?? '', channel: e.channel, credits: e.delta, costPaise: e.costPaise ?? 0,
  idempotencyKey: e.reference, createdAt: e.createdAt,
});

async function readMaster(ctx: RequestContext): Promise<MasterWallet> {
  const w = await readWallet(masterBook(ctx.db.platform()));
  return {
    sms: w.heads.sms.balance, whatsapp: w.heads.whatsapp.balance, email: w.heads.email.balance, updatedAt: w.updatedAt,
    heads: { sms: w.heads.sms.seq, whatsapp: w.heads.whatsapp.seq, email: w.heads.email.seq },
  };
}

@Resolver(() => MasterWallet)
export class MasterWalletResolver {
  @Query(() => MasterWallet, { description: 'The platform\'s credit stock (platform).' })
  masterWallet(@Ctx() ctx: RequestContext) {
    return readMaster(ctx);
  }

  @FieldResolver(() => [LedgerEntry], { description: 'Master movements, newest first.' })
  ledger(
    @Root() wallet: MasterWallet,
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number | null,
    @Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined,
    @Ctx() ctx: RequestContext,
  ) {
    return listLedger(masterLedgerModel(ctx.db.platform()), wallet.heads, checkFirst(first, 20), channel ?? undefined);
  }
}

@Resolver(() => VendorPurchase)
export class VendorPurchaseResolver {
  @Mutation(() => VendorPurchase, { description: 'Buys credits from a vendor into the master wallet; a repeated idempotencyKey buys once.' })
  async purchaseCreditsFromVendor(@Args(() => PurchaseCreditsArgs) args: PurchaseCreditsArgs, @Ctx() ctx: RequestContext) {
    const vendor = await vendorLoader(ctx).load(args.vendorId);
    if (!vendor) throw notFound('Vendor');
    const cost = args.credits * vendor.costPaisePerCredit;
    const out = await applyMovement(masterBook(ctx.db.platform()), {
      key: `purchase:${args.idempotencyKey}`, keyField: 'idempotencyKey', channel: vendor.channel, delta: args.credits,
      reason: 'purchase', reference: args.idempotencyKey, target: args.vendorId, note: vendor.name, createdBy: ctx.auth?.sub,
      fields: { costPaise: cost },
      // Weighted average cost: the stock's value grows by what was paid.
      derive: (head) => ({ inventoryPaise: head.inventory + cost }),
    });
    return toPurchase(out.entry);
  }

  @Query(() => [VendorPurchase], { description: 'Purchases from vendors, newest first (platform).' })
  async vendorPurchases(@Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number | null, @Ctx() ctx: RequestContext) {
    const docs = await masterLedgerModel(ctx.db.platform())
      .find({ reason: 'purchase', status: 'applied' })
      .sort({ createdAt: -1 })
      .limit(checkFirst(first, 50))
      .lean<LedgerDoc[]>();
    return docs.map(toPurchase);
  }

  @FieldResolver(() => Vendor, { nullable: true })
  async vendor(@Root() p: VendorPurchase, @Ctx() ctx: RequestContext) {
    const doc = await vendorLoader(ctx).load(p.vendorId);
    return doc ? toVendor(doc) : null;
  }
}
