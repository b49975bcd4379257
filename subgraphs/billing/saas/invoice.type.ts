import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PlatformPaymentOrder } from '../platform/order.type';
import { BillingCycle, SaasPlan } from './plan-catalog.service';
import { TenantSubscription } from './subscription.type';

export enum SaasInvoiceStatus {
  OPEN = 'OPEN',
  PAID = 'PAID',
  VOID = 'VOID',
}
registerEnumType(SaasInvoiceStatus, { name: 'SaasInvoiceStatus' });

export enum DunningStep {
  NONE = 'NONE',
  /** A renewal invoice was issued before the period ends. */
  ISSUED = 'ISSUED',
  /** The period ended unpaid: grace period. */
  OVERDUE = 'OVERDUE',
  /** Grace ended unpaid: the tenant is suspended until it pays. */
  SUSPENDED = 'SUSPENDED',
}
registerEnumType(DunningStep, { name: 'DunningStep' });

@ObjectType({ description: 'An invoice of the platform to the tenant for its SaaS subscription (GST included).' })
export class SaasInvoice {
  @Field(() => ID) id: string;
  @Field(() => ID) tenantId: string;
  @Field(() => String, { description: 'GST invoice number, e.g. SAAS/2026-27/000001.' }) number: string;
  @Field(() => String, { description: 'SUBSCRIBE, CONVERT, UPGRADE, RENEW or RENEWAL.' }) kind: string;
  @Field(() => SaasPlan) plan: SaasPlan;
  @Field(() => BillingCycle) cycle: BillingCycle;
  @Field(() => Int, { description: 'Paise, GST included.' }) amount: number;
  @Field(() => Int, { description: 'Paise credited for unused days of the previous plan.' }) credit: number;
  @Field(() => Int, { description: 'Paise before GST.' }) taxableValue: number;
  @Field(() => Int, { description: 'GST in paise (18%).' }) tax: number;
  @Field(() => SaasInvoiceStatus) status: SaasInvoiceStatus;
  @Field(() => Date) issuedAt: Date;
  @Field(() => Date) dueAt: Date;
  @Field(() => Date, { nullable: true }) paidAt?: Date;
  @Field(() => Date, { nullable: true, description: 'RENEWAL: the period it pays for starts here.' }) periodStart?: Date;
  @Field(() => PlatformPaymentOrder, { nullable: true, description: 'The platform payment order that collects it.' }) paymentOrder?: PlatformPaymentOrder;
  orderId?: string;
}

@ObjectType({ description: 'What the tenant owes the platform and where its dunning stands.' })
export class SaasAccount {
  @Field(() => TenantSubscription, { nullable: true }) subscription?: TenantSubscription;
  @Field(() => Int, { description: 'Paise of OPEN invoices.' }) amountOwed: number;
  @Field(() => Date, { nullable: true, description: 'Due date of the oldest unpaid invoice past due.' }) overdueSince?: Date;
  @Field(() => Date, { nullable: true, description: 'When the tenant is suspended unless it pays.' }) graceEndsAt?: Date;
  @Field(() => DunningStep) dunningStep: DunningStep;
  @Field(() => Boolean) suspended: boolean;
  @Field(() => [SaasInvoice], { description: 'Newest first (at most 50).' }) invoices: SaasInvoice[];
}

@ObjectType({ description: 'What one run of the SaaS billing cycle did.' })
export class SaasBillingCycleReport {
  @Field(() => Date) at: Date;
  @Field(() => Int) tenants: number;
  @Field(() => Int, { description: 'Renewal invoices issued by this run.' }) invoicesIssued: number;
  @Field(() => Int, { description: 'Dunning reminders sent by this run.' }) reminders: number;
  @Field(() => Int) suspended: number;
  @Field(() => Int) reactivated: number;
  @Field(() => Int, { description: 'Tenants whose processing failed (retried on the next run).' }) failed: number;
}
