import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Library } from '../fees/library.type';
import { PaymentMethod } from '../fees/payment.type';

export enum MoneyGroupBy {
  MONTH = 'month',
  LIBRARY = 'library',
  PLAN = 'plan',
  METHOD = 'method',
}
registerEnumType(MoneyGroupBy, { name: 'MoneyGroupBy' });

const PAISE = 'Paise (a Float: a whole number that may pass Int’s 2^31).';

@ObjectType({ description: 'Dues billed against money collected in one month (Asia/Kolkata), for the tenant or one library.' })
export class CollectionsRow {
  @Field(() => String, { description: 'YYYY-MM' }) month: string;
  @Field(() => Library, { nullable: true, description: 'The library (byLibrary: true); null for totals.' }) library?: Library;
  @Field(() => Float, { description: `Dues charged that month (fees, late fees, adjustments) minus credits; deposits excluded. ${PAISE}` })
  billed: number;
  @Field(() => Float, { description: `Payments received that month (deposits and advances included). ${PAISE}` }) received: number;
  @Field(() => Float, { description: `Refunds processed that month. ${PAISE}` }) refunded: number;
  @Field(() => Float, { description: `received − refunded. ${PAISE}` }) collected: number;
  @Field(() => Float, { nullable: true, description: 'collected / billed (1 = 100 %; above 1 with advances and deposits); null when nothing was billed.' })
  collectionRate?: number;
  @Field(() => Float, { description: `Dues still unpaid at the end of the month (or now, for the running month). ${PAISE}` }) outstanding: number;
  @Field(() => Int, { description: 'Payments received.' }) payments: number;
  @Field(() => Int, { description: 'Refunds processed.' }) refunds: number;
}

@ObjectType({ description: 'Money received in one group of month, library, fee plan and payment method; the fields not grouped by are null.' })
export class RevenueBreakdownRow {
  @Field(() => String, { nullable: true, description: 'YYYY-MM (Asia/Kolkata)' }) month?: string;
  @Field(() => Library, { nullable: true }) library?: Library;
  @Field(() => ID, { nullable: true, description: "Fee plan of the student's membership when paid (null: none, or not grouped by plan)." }) planId?: string;
  @Field(() => String, { nullable: true }) planName?: string;
  @Field(() => PaymentMethod, { nullable: true }) method?: PaymentMethod;
  @Field(() => Float, { description: PAISE }) received: number;
  @Field(() => Float, { description: `Refunds processed in the period, attributed like the payment refunded. ${PAISE}` }) refunded: number;
  @Field(() => Float, { description: `received − refunded. ${PAISE}` }) net: number;
  @Field(() => Int) payments: number;
  @Field(() => Int) refunds: number;
}
