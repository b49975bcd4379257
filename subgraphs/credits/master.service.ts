import type { CreditsContext } from './context';
import { notFound } from '../../core/errors';
import type { Channel } from './channel.type';
import { masterLedgerModel, type LedgerDoc } from './ledger.model';
import { applyMovement, listLedger, masterBook, readWallet } from './ledger.service';
import type { PurchaseCreditsArgs } from './vendor.input';
import { vendorLoader } from './vendor.loader';
import type { MasterWallet, VendorPurchase } from './vendor.type';

const toPurchase = (e: LedgerDoc): VendorPurchase => ({
  id: e._id,
  vendorId: e.target ?? '',
  channel: e.channel,
  credits: e.delta,
  costPaise: e.costPaise ?? 0,
  idempotencyKey: e.reference,
  createdAt: e.createdAt,
});

/** The platform's credit stock, with the chain heads its ledger lists back from. */
export async function readMaster(ctx: CreditsContext): Promise<MasterWallet> {
  const w = await readWallet(masterBook(ctx.db.platform()));
  return {
    sms: w.heads.sms.balance,
    whatsapp: w.heads.whatsapp.balance,
    email: w.heads.email.balance,
    updatedAt: w.updatedAt,
    heads: { sms: w.heads.sms.seq, whatsapp: w.heads.whatsapp.seq, email: w.heads.email.seq },
  };
}

/** Master movements, newest first. */
export const masterLedger = (ctx: CreditsContext, wallet: MasterWallet, limit: number, channel?: Channel) =>
  listLedger(masterLedgerModel(ctx.db.platform()), wallet.heads, limit, channel);

/** Buys credits from a vendor into the master wallet; a repeated idempotencyKey buys once. */
export async function purchaseFromVendor(ctx: CreditsContext, args: PurchaseCreditsArgs): Promise<VendorPurchase> {
  const vendor = await vendorLoader(ctx).load(args.vendorId);
  if (!vendor) throw notFound('Vendor');
  const cost = args.credits * vendor.costPaisePerCredit;
  const out = await applyMovement(masterBook(ctx.db.platform()), {
    key: `purchase:${args.idempotencyKey}`,
    keyField: 'idempotencyKey',
    channel: vendor.channel,
    delta: args.credits,
    reason: 'purchase',
    reference: args.idempotencyKey,
    target: args.vendorId,
    note: vendor.name,
    createdBy: ctx.auth?.sub,
    fields: { costPaise: cost },
    // Weighted average cost: the stock's value grows by what was paid.
    derive: (head) => ({ inventoryPaise: head.inventory + cost }),
  });
  return toPurchase(out.entry);
}

/** Purchases from vendors, newest first. */
export async function vendorPurchases(ctx: CreditsContext, limit: number): Promise<VendorPurchase[]> {
  const docs = await masterLedgerModel(ctx.db.platform())
    .find({ reason: 'purchase', status: 'applied' })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean<LedgerDoc[]>();
  return docs.map(toPurchase);
}
