import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { badInput, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { fetchEntities } from '../../core/internal';
import { isPlatformRole } from '../../core/permissions/catalog';
import { Channel } from './channel';
import { CreateCreditPackageInput, PurchasePackageArgs, UpdateCreditPackageInput } from './package.input';
import { creditPackageModel, packageLoader, toPackage, type CreditPackageDoc } from './package.model';
import { CreditPackage } from './package.type';
import { transferToTenant } from './transfer.service';
import { walletOf } from './wallet.loader';
import { Wallet } from './wallet.type';

interface PaymentRef {
  id: string;
  amount: number;
  status: string;
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
    description: 'Buys a package with a PAID payment of this tenant (owner): credits come from the platform stock; a payment buys once.',
  })
  async purchaseCreditPackage(@Args(() => PurchasePackageArgs) args: PurchasePackageArgs, @Ctx() ctx: RequestContext) {
    const tenant = await ctx.tenant();
    const tenantId = tenant._id.toHexString();
    const pkg = await packageLoader(ctx).load(args.packageId);
    if (!pkg || !pkg.active) throw notFound('CreditPackage');
    // Billing is asked with the caller's own token: only a payment of this tenant resolves.
    const [payment] = await fetchEntities<PaymentRef>(ctx, 'billing', 'Payment', [args.paymentId], 'id amount status');
    if (!payment) throw notFound('Payment');
    if (payment.status !== 'PAID') throw badInput('paymentId', 'must be a paid payment (not refunded)');
    if (payment.amount < pkg.pricePaise) throw badInput('paymentId', 'must cover the package price');
    await transferToTenant(ctx, {
      tenantId,
      dbName: tenant.dbName,
      channel: pkg.channel,
      credits: pkg.credits,
      // One package per payment: both keys are the payment's.
      masterKey: `package:${tenantId}:${args.paymentId}`,
      tenantKey: `package:${args.paymentId}`,
      keyField: 'paymentId',
      reason: 'package',
      masterTarget: `${tenantId}/${args.packageId}`,
      tenantTarget: args.packageId,
      reference: args.idempotencyKey,
      revenuePaise: pkg.pricePaise,
      createdBy: ctx.auth?.sub,
    });
    return walletOf({ id: tenantId, dbName: tenant.dbName }, ctx);
  }
}
