import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BillingCycle, SaasPlan } from './plan-catalog.service';

export enum SaasRevenueGroupBy {
  PLAN = 'PLAN',
  CYCLE = 'CYCLE',
  MONTH = 'MONTH',
}
registerEnumType(SaasRevenueGroupBy, { name: 'SaasRevenueGroupBy' });

@ObjectType({ description: "Platform revenue from tenants' SaaS subscriptions, one row per group." })
export class SaasRevenueRow {
  @Field(() => SaasPlan, { nullable: true }) plan?: SaasPlan;
  @Field(() => BillingCycle, { nullable: true }) cycle?: BillingCycle;
  @Field(() => String, { nullable: true, description: 'YYYY-MM (Asia/Kolkata)' }) month?: string;
  @Field(() => Int, { description: 'Charged, in paise.' }) amount: number;
  @Field(() => Int, { description: 'Number of charged subscription changes.' }) count: number;
  @Field(() => Int, { description: 'Distinct paying tenants.' }) tenants: number;
}
