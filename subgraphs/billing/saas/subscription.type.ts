import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BillingCycle, SaasPlan } from './plan-catalog.service';

registerEnumType(SaasPlan, { name: 'SaasPlan' });
registerEnumType(BillingCycle, { name: 'BillingCycle' });

export enum SubscriptionStatus {
  ACTIVE = 'ACTIVE',
  TRIAL = 'TRIAL',
  /** The period ended unpaid: the plan stays until the grace period ends. */
  PAST_DUE = 'PAST_DUE',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(SubscriptionStatus, { name: 'SubscriptionStatus' });

@ObjectType({ description: 'What a plan allows.' })
export class PlanLimits {
  @Field(() => Int) maxLibraries: number;
  @Field(() => Int) maxStudents: number;
  @Field(() => Int) maxStaff: number;
}

@ObjectType()
export class PlanPrice {
  @Field(() => BillingCycle) cycle: BillingCycle;
  @Field(() => Int, { description: 'Paise per cycle, GST included.' }) amount: number;
}

@ObjectType({ description: 'A SaaS plan of the platform.' })
export class Plan {
  @Field(() => SaasPlan) name: SaasPlan;
  @Field(() => PlanLimits) limits: PlanLimits;
  @Field(() => [PlanPrice]) prices: PlanPrice[];
}

@ObjectType({ description: 'A change that takes effect at the end of the period.' })
export class PendingPlanChange {
  @Field(() => SaasPlan) plan: SaasPlan;
  @Field(() => BillingCycle) cycle: BillingCycle;
  @Field(() => Date) effectiveAt: Date;
}

@ObjectType({ description: "The tenant's SaaS subscription." })
export class TenantSubscription {
  @Field(() => SaasPlan) plan: SaasPlan;
  @Field(() => BillingCycle) cycle: BillingCycle;
  @Field(() => SubscriptionStatus) status: SubscriptionStatus;
  @Field(() => Date) periodStart: Date;
  @Field(() => Date, { description: 'End of the period (of the trial for TRIAL).' }) periodEnd: Date;
  @Field(() => Boolean) cancelAtPeriodEnd: boolean;
  @Field(() => PendingPlanChange, { nullable: true }) pendingDowngrade?: PendingPlanChange;
  @Field(() => PlanLimits, { description: 'Limits that apply now (free plan limits unless ACTIVE or TRIAL).' }) limits: PlanLimits;
}

@ObjectType({ description: 'The result of a subscription change and what it costs.' })
export class SubscriptionChange {
  @Field(() => TenantSubscription, { nullable: true, description: 'The subscription now: unchanged until the invoice is paid (null before the first one).' })
  subscription?: TenantSubscription;
  @Field(() => Int, { description: 'Paise to collect for this change.' }) amountDue: number;
  @Field(() => Int, { description: 'Paise credited for the unused days of the previous plan (upgrades).' }) credit: number;
  @Field(() => Boolean, { description: 'True while the change waits for its invoice to be paid.' }) awaitingPayment: boolean;
  /** The SaaS invoice of a change that costs money (field resolved in invoice.resolver.ts). */
  invoiceId?: string;
}
