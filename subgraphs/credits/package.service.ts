import type { CreditsContext } from './context';
import { AppError, badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { isPlatformRole } from '../../core/permissions/catalog';
import type { TenantRecord } from '../../core/tenancy/registry';
import { platformPaymentOrder } from './billing.client';
import type { Channel } from './channel.type';
import type { CreateCreditPackageInput, PurchasePackageArgs, UpdateCreditPackageInput } from './package.input';
import { packageLoader } from './package.loader';
import { creditPackageModel, type CreditPackageDoc } from './package.model';
import { transferToTenant } from './transfer.service';
import { walletOf, type WalletSource } from './wallet.service';

export const toPackage = (d: CreditPackageDoc) => ({
  id: d._id.toHexString(),
  channel: d.channel,
  credits: d.credits,
  pricePaise: d.pricePaise,
  active: d.active,
});

/** Packages on sale; platform roles also see inactive ones. */
export async function listPackages(ctx: CreditsContext, channel?: Channel) {
  const filter: Record<string, unknown> = {};
  if (!isPlatformRole(ctx.auth!.role)) filter.active = true;
  if (channel) filter.channel = channel;
  const docs = await creditPackageModel(ctx.db.platform()).find(filter).sort({ channel: 1, credits: 1 }).limit(200).lean<CreditPackageDoc[]>();
  return docs.map(toPackage);
}

export async function createPackage(ctx: CreditsContext, input: CreateCreditPackageInput) {
  const doc = await creditPackageModel(ctx.db.platform()).create({ ...input, active: true });
  return toPackage(doc.toObject());
}

export async function updatePackage(ctx: CreditsContext, id: string, input: UpdateCreditPackageInput) {
  const _id = parseId(id, 'id');
  const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
  const doc = await creditPackageModel(ctx.db.platform()).findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<CreditPackageDoc>();
  if (!doc) throw notFound('CreditPackage');
  return toPackage(doc);
}

/** The caller's tenant claims the package its PAID platform order bought (once per order). */
export async function purchasePackage(ctx: CreditsContext, args: PurchasePackageArgs): Promise<WalletSource> {
  const tenant = await ctx.tenant();
  const order = await platformPaymentOrder(ctx, args.paymentId);
  if (!order || order.purpose !== 'CREDIT_PACKAGE') throw notFound('Platform payment order for a credit package');
  if (order.packageId !== args.packageId.toLowerCase()) throw conflict('This order paid for another package', 'paymentId');
  if (order.status !== 'PAID') throw badInput('paymentId', 'the platform has not received this payment yet');
  await deliverPackage(ctx, tenant, args.packageId, order.id, order.amount);
  return walletOf({ id: tenant._id.toHexString(), dbName: tenant.dbName }, ctx);
}

/** Billing says the platform received the money of a credit-package order. */
export async function deliverPaidPackage(ctx: CreditsContext, orderId: string, packageId: string, amountPaid: number): Promise<true> {
  // Only billing's own service token (minted with the JWT secret) may say money was received.
  if (ctx.auth?.sub !== 'service:billing') throw new AppError('FORBIDDEN', 'Only the billing service delivers paid packages');
  await deliverPackage(ctx, await ctx.tenant(), packageId, orderId.toLowerCase(), amountPaid);
  return true;
}

/** The master-to-tenant transfer of one paid order: both keys are the order's, so every path delivers it once. */
async function deliverPackage(ctx: CreditsContext, tenant: TenantRecord, packageId: string, orderId: string, amountPaid: number) {
  const tenantId = tenant._id.toHexString();
  const pkg = await packageLoader(ctx).load(packageId.toLowerCase());
  if (!pkg) throw notFound('CreditPackage');
  // The price the platform received (the package may have been repriced since the order).
  await transferToTenant(ctx, {
    tenantId,
    dbName: tenant.dbName,
    channel: pkg.channel,
    credits: pkg.credits,
    masterKey: `package:${tenantId}:${orderId}`,
    tenantKey: `package:${orderId}`,
    keyField: 'paymentId',
    reason: 'package',
    masterTarget: `${tenantId}/${packageId.toLowerCase()}`,
    tenantTarget: packageId.toLowerCase(),
    reference: orderId,
    revenuePaise: amountPaid,
    createdBy: ctx.auth?.sub,
  });
}
