import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { BillingContext } from '../context';
import { paymentLoader } from './payment.loader';
import { Payment } from './payment.type';
import { RefundPaymentInput } from './refund.input';
import { refundPayment } from './refund.service';
import { Refund } from './refund.type';

@Resolver(() => Refund)
export class RefundResolver {
  @Mutation(() => Refund, { description: 'Refunds (part of) a payment, through its gateway for online payments (idempotent per key).' })
  refundPayment(@Arg('input', () => RefundPaymentInput) input: RefundPaymentInput, @Ctx() ctx: BillingContext) {
    return refundPayment(ctx, input);
  }

  @FieldResolver(() => Payment)
  payment(@Root() refund: Refund, @Ctx() ctx: BillingContext) {
    return paymentLoader(ctx).load(refund.paymentId);
  }
}
