import type { Types } from 'mongoose';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../../core/context';
import { parseId, tryParseId } from '../../../core/ids';
import { libraryQuery } from '../../../core/scope/library-scope';
import { PaymentsArgs, RecordPaymentInput } from './payment.input';
import { paymentLoader } from './payment.loader';
import { paymentModel, toPayment, type PaymentDoc } from './payment.model';
import { recordPayment } from './payment.service';
import { Payment } from './payment.type';

@Resolver(() => Payment)
export class PaymentResolver {
  @Query(() => Payment, { nullable: true })
  async payment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    parseId(id, 'id');
    return paymentLoader(ctx).load(id);
  }

  @Query(() => [Payment], { description: 'Payments, newest first.' })
  async payments(@Args(() => PaymentsArgs) { filter, first }: PaymentsArgs, @Ctx() ctx: RequestContext) {
    // Branch scope: the library asked for (FORBIDDEN outside the scope) or the caller's libraries.
    const query: { studentId?: Types.ObjectId; month?: string; [k: string]: unknown } =
      libraryQuery(ctx, filter?.libraryId ? parseId(filter.libraryId, 'filter.libraryId') : null, 'libraryId', tryParseId);
    if (filter?.studentId) query.studentId = parseId(filter.studentId, 'filter.studentId');
    if (filter?.month) query.month = filter.month;
    const Payment = paymentModel(await ctx.tenantDb());
    const docs = await Payment.find(query).sort({ paidAt: -1, _id: -1 }).limit(first ?? 50).lean<PaymentDoc[]>();
    return docs.map(toPayment);
  }

  @Mutation(() => Payment, { description: 'Records a payment and issues its invoice (idempotent per idempotencyKey).' })
  recordPayment(@Arg('input', () => RecordPaymentInput) input: RecordPaymentInput, @Ctx() ctx: RequestContext) {
    return recordPayment(ctx, input);
  }
}

export const resolvePaymentReference = (ref: Record<string, unknown>, ctx: RequestContext) =>
  typeof ref.id === 'string' ? paymentLoader(ctx).load(ref.id) : null;
