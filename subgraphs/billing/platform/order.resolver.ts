import { Length, Matches } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { VerifyRazorpayPaymentInput } from '../fees/order.input';
import { toPlatformOrder } from './order.service';
import { billedTenant, createCreditPackageOrder, platformOrderOf, verifyPlatformRazorpay } from './order.service';
import { PlatformPaymentOrder } from './order.type';
import { billingDeps } from './runtime.service';

@ArgsType()
class CreditPackageOrderArgs {
  @Field(() => ID) @Matches(/^[0-9a-f]{24}$/i, { message: 'must be an id' }) packageId: string;
  @Field(() => String, { description: 'Retries with the same key return the first order.' })
  @Length(8, 100)
  @Matches(/^\S+$/, { message: 'must not contain spaces' })
  idempotencyKey: string;
}

@Resolver(() => PlatformPaymentOrder)
export class PlatformOrderResolver {
  @Query(() => PlatformPaymentOrder, { nullable: true, description: "A payment order of the caller's tenant to the platform (platform staff: x-tenant)." })
  async platformPaymentOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    const doc = await platformOrderOf(ctx, id);
    return doc ? toPlatformOrder(doc) : null;
  }

  @Mutation(() => PlatformPaymentOrder, {
    description: 'Starts paying the platform for a credit package (price from credits); the credits are added when the platform receives the money.',
  })
  async createCreditPackageOrder(@Args(() => CreditPackageOrderArgs) { packageId, idempotencyKey }: CreditPackageOrderArgs, @Ctx() ctx: BillingContext) {
    const order = await createCreditPackageOrder(ctx, packageId, idempotencyKey);
    return toPlatformOrder(order);
  }

  @Mutation(() => PlatformPaymentOrder, {
    description: "Verifies Razorpay Checkout's signature for a platform order and settles it (once, however often reported).",
  })
  async verifyPlatformRazorpayPayment(@Arg('input', () => VerifyRazorpayPaymentInput) input: VerifyRazorpayPaymentInput, @Ctx() ctx: BillingContext) {
    await billedTenant(ctx);
    return verifyPlatformRazorpay(ctx, billingDeps(ctx.services), input);
  }
}
