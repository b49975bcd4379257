import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { verifyRazorpayPayment } from './checkout.service';
import { CreatePaymentOrderInput, VerifyRazorpayPaymentInput } from './order.input';
import { createPaymentOrder, findPaymentOrder } from './order.service';
import { PaymentOrder } from './order.type';
import { paymentLoader } from './payment.loader';
import { Payment } from './payment.type';

@Resolver(() => PaymentOrder)
export class PaymentOrderResolver {
  @Query(() => PaymentOrder, { nullable: true })
  async paymentOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    return findPaymentOrder(ctx, id);
  }

  @Mutation(() => PaymentOrder, { description: 'Starts an online payment at the cheapest gateway, failing over to the other (idempotent per key).' })
  createPaymentOrder(@Arg('input', () => CreatePaymentOrderInput) input: CreatePaymentOrderInput, @Ctx() ctx: BillingContext) {
    return createPaymentOrder(ctx, input);
  }

  @Mutation(() => Payment, { description: "Verifies Razorpay Checkout's signature and records the payment (idempotent per Razorpay payment)." })
  verifyRazorpayPayment(@Arg('input', () => VerifyRazorpayPaymentInput) input: VerifyRazorpayPaymentInput, @Ctx() ctx: BillingContext) {
    return verifyRazorpayPayment(ctx, input);
  }

  @FieldResolver(() => Payment, { nullable: true, description: 'The payment that settled this order.' })
  payment(@Root() order: PaymentOrder, @Ctx() ctx: BillingContext) {
    return order.paymentId ? paymentLoader(ctx).load(order.paymentId) : null;
  }
}
