import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Library } from './library.type';
import { PaymentMethod } from './payment.type';
import { RevenueGroupBy } from './revenue-report.service';

registerEnumType(RevenueGroupBy, { name: 'RevenueGroupBy' });

@ObjectType({ description: 'Net revenue of one group; the fields not grouped by are null.' })
export class RevenueReportRow {
  @Field(() => Library, { nullable: true }) library?: Library;
  @Field(() => PaymentMethod, { nullable: true }) method?: PaymentMethod;
  @Field(() => String, { nullable: true, description: 'YYYY-MM (Asia/Kolkata)' }) month?: string;
  @Field(() => Float, {
    description: "Paise, net of refunds. A Float because a tenant's total can pass Int's 2^31 (₹2.1 crore); it is always a whole number, exact up to 2^53.",
  })
  total: number;
  @Field(() => Int, { description: 'Number of payments.' }) count: number;
}
