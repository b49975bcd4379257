import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Payment } from './payment.type';

export enum RefundStatus {
  PENDING = 'pending',
  PROCESSED = 'processed',
  FAILED = 'failed',
  REVERSAL = 'reversal',
}
registerEnumType(RefundStatus, { name: 'RefundStatus' });

@ObjectType({ description: 'Money given back on a payment (cash at the desk, or through its gateway).' })
export class Refund {
  @Field(() => ID) id: string;
  @Field(() => Payment) payment: Payment;
  @Field(() => Int, { description: 'Paise.' }) amount: number;
  @Field(() => Int, { description: 'Refunded total of the payment after this refund, in paise.' }) refundedAfter: number;
  @Field(() => String) reason: string;
  @Field(() => RefundStatus) status: RefundStatus;
  @Field(() => String, { nullable: true }) provider?: string;
  @Field(() => String, { nullable: true }) providerRefundId?: string;
  @Field(() => Date) createdAt: Date;
  paymentId: string;
}
