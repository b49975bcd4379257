import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PaymentCheckout, PaymentOrderStatus, PaymentProvider, PaymentRouting } from '../fees/order.type';

export enum PlatformOrderPurpose {
  SAAS_INVOICE = 'SAAS_INVOICE',
  CREDIT_PACKAGE = 'CREDIT_PACKAGE',
}
registerEnumType(PlatformOrderPurpose, { name: 'PlatformOrderPurpose' });

@ObjectType({ description: "A payment to the platform (a SaaS invoice or a credit package), on the platform's own gateway account." })
export class PlatformPaymentOrder {
  @Field(() => ID) id: string;
  @Field(() => ID) tenantId: string;
  @Field(() => PlatformOrderPurpose) purpose: PlatformOrderPurpose;
  @Field(() => ID, { nullable: true, description: 'The SaaS invoice paid for (SAAS_INVOICE).' }) invoiceId?: string;
  @Field(() => ID, { nullable: true, description: 'The credit package bought (CREDIT_PACKAGE).' }) packageId?: string;
  @Field(() => Int, { description: 'Paise.' }) amount: number;
  @Field(() => String) currency: string;
  @Field(() => PaymentOrderStatus) status: PaymentOrderStatus;
  @Field(() => PaymentProvider, { nullable: true }) provider?: PaymentProvider;
  @Field(() => String, { nullable: true }) providerOrderId?: string;
  @Field(() => PaymentRouting, { nullable: true }) routing?: PaymentRouting;
  @Field(() => PaymentCheckout, { nullable: true }) checkout?: PaymentCheckout;
  @Field(() => Date, { nullable: true, description: 'When the platform received the money.' }) paidAt?: Date;
  @Field(() => Boolean, { description: 'What was paid for was delivered (plan applied, credits added).' }) fulfilled: boolean;
  @Field(() => Date) createdAt: Date;
}
