import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Student } from './student.type';

export enum PaymentOrderStatus {
  PENDING = 'pending',
  CREATED = 'created',
  PAID = 'paid',
  FAILED = 'failed',
}
registerEnumType(PaymentOrderStatus, { name: 'PaymentOrderStatus' });

export enum PaymentProvider {
  RAZORPAY = 'razorpay',
  CASHFREE = 'cashfree',
}
registerEnumType(PaymentProvider, { name: 'PaymentProvider' });

export enum RoutingReason {
  CHEAPEST = 'cheapest',
  FAILOVER = 'failover',
}
registerEnumType(RoutingReason, { name: 'RoutingReason' });

@ObjectType({ description: 'One try at creating the order at a provider.' })
export class RoutingAttempt {
  @Field(() => PaymentProvider) provider: PaymentProvider;
  @Field(() => Boolean) ok: boolean;
  @Field(() => String, { nullable: true, description: 'e.g. "timed out", "HTTP 502".' }) error?: string;
  @Field(() => Int) durationMs: number;
  @Field(() => Int, { description: "The provider's fee for this amount, in paise." }) fee: number;
}

@ObjectType({ description: 'Which gateway took the order, and why.' })
export class PaymentRouting {
  @Field(() => PaymentProvider, { nullable: true }) chosen?: PaymentProvider;
  @Field(() => RoutingReason) reason: RoutingReason;
  @Field(() => [RoutingAttempt]) attempts: RoutingAttempt[];
}

@ObjectType({ description: "What the client needs to open the provider's checkout." })
export class PaymentCheckout {
  @Field(() => PaymentProvider) provider: PaymentProvider;
  @Field(() => String, { nullable: true }) razorpayOrderId?: string;
  @Field(() => String, { nullable: true, description: 'Public key id for Razorpay Checkout.' }) razorpayKeyId?: string;
  @Field(() => String, { nullable: true }) cashfreePaymentSessionId?: string;
}

@ObjectType({ description: 'An online payment started at a gateway (Razorpay or Cashfree).' })
export class PaymentOrder {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Int, { description: 'Amount in paise.' }) amount: number;
  @Field(() => String) currency: string;
  @Field(() => String, { nullable: true }) purpose?: string;
  @Field(() => PaymentOrderStatus) status: PaymentOrderStatus;
  @Field(() => PaymentProvider, { nullable: true }) provider?: PaymentProvider;
  @Field(() => String, { nullable: true }) providerOrderId?: string;
  @Field(() => RoutingReason, { nullable: true }) routingReason?: RoutingReason;
  @Field(() => PaymentRouting, { nullable: true }) routing?: PaymentRouting;
  @Field(() => PaymentCheckout, { nullable: true }) checkout?: PaymentCheckout;
  @Field(() => Date) createdAt: Date;
  paymentId?: string;
}
