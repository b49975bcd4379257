import { Arg, Args, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { CreditsContext } from './context';
import { Channel } from './channel.type';
import { CreateCreditPackageInput, DeliverCreditPackageArgs, PurchasePackageArgs, UpdateCreditPackageInput } from './package.input';
import { createPackage, deliverPaidPackage, listPackages, purchasePackage, updatePackage } from './package.service';
import { CreditPackage } from './package.type';
import { Wallet } from './wallet.type';

@Resolver(() => CreditPackage)
export class CreditPackageResolver {
  @Query(() => [CreditPackage], { description: 'Packages on sale (platform roles also see inactive ones).' })
  creditPackages(@Arg('channel', () => Channel, { nullable: true }) channel: Channel | undefined, @Ctx() ctx: CreditsContext) {
    return listPackages(ctx, channel ?? undefined);
  }

  @Mutation(() => CreditPackage, { description: 'Puts a credit package on sale (platform).' })
  createCreditPackage(@Arg('input', () => CreateCreditPackageInput) input: CreateCreditPackageInput, @Ctx() ctx: CreditsContext) {
    return createPackage(ctx, input);
  }

  @Mutation(() => CreditPackage, { description: 'Reprices or (de)activates a package; past purchases keep their price.' })
  updateCreditPackage(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCreditPackageInput) input: UpdateCreditPackageInput,
    @Ctx() ctx: CreditsContext,
  ) {
    return updatePackage(ctx, id, input);
  }

  @Mutation(() => Wallet, {
    description:
      'Adds the package bought by a PAID platform payment order of this tenant (createCreditPackageOrder); once per order. ' +
      'Student-fee payments never buy credits. Billing also delivers it by itself when the platform receives the money.',
  })
  purchaseCreditPackage(@Args(() => PurchasePackageArgs) args: PurchasePackageArgs, @Ctx() ctx: CreditsContext) {
    return purchasePackage(ctx, args);
  }

  @Directive('@inaccessible')
  @Mutation(() => Boolean, { description: 'Internal (billing): the platform received the money of a credit-package order; adds it once per order.' })
  deliverCreditPackage(@Args(() => DeliverCreditPackageArgs) { orderId, packageId, amountPaid }: DeliverCreditPackageArgs, @Ctx() ctx: CreditsContext) {
    return deliverPaidPackage(ctx, orderId, packageId, amountPaid);
  }
}
