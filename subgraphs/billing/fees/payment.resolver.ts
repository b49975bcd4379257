import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { BillingContext } from '../context';
import { parseId } from '../../../core/ids';
import { PaymentsArgs, RecordPaymentInput } from './payment.input';
import { paymentLoader } from './payment.loader';
import { listPayments, recordPayment } from './payment.service';
import { Payment } from './payment.type';

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, { nullable: true })
  async payment(@Arg('id', () => ID) id: string, @Ctx() ctx: BillingContext) {
    parseId(id, 'id');
    return paymentLoader(ctx).load(id);
  }

  @Query(() => [Payment], { description: 'Payments, newest first.' })
  async payments(@Args(() => PaymentsArgs) { filter, first }: PaymentsArgs, @Ctx() ctx: BillingContext) {
    return listPayments(ctx, filter, first ?? 50);
  }

  @Mutation(() => Payment, { description: 'Records a payment and issues its invoice (idempotent per idempotencyKey).' })
  recordPayment(@Arg('input', () => RecordPaymentInput) input: RecordPaymentInput, @Ctx() ctx: BillingContext) {
    return recordPayment(ctx, input);
  }
}

export const resolvePaymentReference = (ref: Record<string, unknown>, ctx: BillingContext) =>
  typeof ref.id === 'string' ? paymentLoader(ctx).load(ref.id) : null;
