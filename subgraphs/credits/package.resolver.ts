import { Arg, Args, Ctx, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { callSubgraph } from '../../core/internal';
import type { TenantRecord } from '../../core/tenancy/registry';
import { isPlatformRole } from '../../core/permissions/catalog';
import { Channel } from './channel';
import { CreateCreditPackageInput, PurchasePackageArgs, UpdateCreditPackageInput } from './package.input';
import { creditPackageModel, packageLoader, toPackage, type CreditPackageDoc } from './package.model';
import { CreditPackage } from './package.type';
import { transferToTenant } from './transfer.service';
import { walletOf } from './wallet.service';
import { Wallet } from './wallet.type';

interface PlatformOrderRef {
  id: string;
  purpose: string;
  packageId: string | null;
  status: string;
  amount: number;
}

@Resolver(() => CreditPackage)
export class CreditPackageResolver {
  @Query(() => [CreditPackage], { description: 'Packages on sale (platform roles also see inactive ones).' })
  async creditPackages(@Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined, @Ctx() ctx: RequestContext) {
    const filter: Record<string, unknown> = {};
    if (!isPlatformRole(ctx.auth!.role)) filter.active = true;
    if (channel) filter.channel = channel;
    const docs = await creditPackageModel(ctx.db.platform()).find(filter).sort({ channel: 1, credits: 1 }).limit(200).lean<CreditPackageDoc[]>();
    return docs.map(toPackage);
  }

  @Mutation(() => CreditPackage, { description: 'Puts a credit package on sale (platform).' })
  async createCreditPackage(@Arg('input', () => CreateCreditPackageInput) input: CreateCreditPackageInput, @Ctx() ctx: RequestContext) {
    const doc = await creditPackageModel(ctx.db.platform()).create({ ...input, active: true });
    return toPackage(doc.toObject());
  }

  @Mutation(() => CreditPackage, { description: 'Reprices or (de)activates a package; past purchases keep their price.' })
  async updateCreditPackage(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCreditPackageInput) input: UpdateCreditPackageInput,
    @Ctx() ctx: RequestContext,
  ) {
    const _id = parseId(id, 'id');
    const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== null));
    const doc = await creditPackageModel(ctx.db.platform()).findOneAndUpdate({ _id }, { $set: set }, { returnDocument: 'after' }).lean<CreditPackageDoc>();
    if (!doc) throw notFound('CreditPackage');
    return toPackage(doc);
  }

  @Mutation(() => Wallet, {
    description: 'Adds the package bought by a PAID platform payment order of this tenant (createCreditPackageOrder); once per order. '
      + 'Student-fee payments never buy credits. Billing also delivers it by itself when the platform receives the money.',
  })
  async purchaseCreditPackage(@Args(() => PurchasePackageArgs) args: PurchasePackageArgs, @Ctx() ctx: RequestContext) {
    const tenant = await ctx.tenant();
    // Billing is asked with the caller's own token: only an order of this tenant to the platform resolves.
    const { platformPaymentOrder: order } = await callSubgraph<{ platformPaymentOrder: PlatformOrderRef | null }>(
      ctx, 'billing', 'query($id: ID!) { platformPaymentOrder(id: $id) { id purpose packageId status amount } }', { id: args.paymentId },
    );
    if (!order || order.purpose !== 'CREDIT_PACKAGE') throw notFound('Platform payment order for a credit package');
    if (order.packageId !== args.packageId.toLowerCase()) throw conflict('This order paid for another package', 'paymentId');
    if (order.status !== 'PAID') throw badInput('paymentId', 'the platform has not received this payment yet');
    await deliverPackage(ctx, tenant, args.packageId, order.id, order.amount);
    return walletOf({ id: tenant._id.toHexString(), dbName: tenant.dbName }, ctx);
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal (billing): the platform received the money of a credit-package order; adds it once per order.' })
  async deliverCreditPackage(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('packageId', () => ID) packageId: string,
    @Arg('amountPaid', () => Int) amountPaid: number,
    @Ctx() ctx: RequestContext,
  ) {
    // Only billing's own service token (minted with the JWT secret) may say money was received.
    if (ctx.auth?.sub !== 'service:billing') throw new AppError('FORBIDDEN', 'Only the billing service delivers paid packages');
    if (!/^[0-9a-f]{24}$/i.test(orderId)) throw badInput('orderId', 'must be an id');
    await deliverPackage(ctx, await ctx.tenant(), packageId, orderId.toLowerCase(), amountPaid);
    return true;
  }
}

/** The master-to-tenant transfer of one paid order: both keys are the order's, so every path delivers it once. */
async function deliverPackage(ctx: RequestContext, tenant: TenantRecord, packageId: string, orderId: string, amountPaid: number) {
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
