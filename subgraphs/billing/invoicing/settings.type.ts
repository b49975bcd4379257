import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: "The tenant's seller details printed on its GST invoices." })
export class BillingSettings {
  @Field(() => String) legalName: string;
  @Field(() => String, { nullable: true, description: '15-character GSTIN; none for an unregistered seller.' }) gstin?: string;
  @Field(() => String) address: string;
  @Field(() => String, { description: 'Two-digit GST state code, e.g. 29 (Karnataka).' }) stateCode: string;
  @Field(() => String, { description: 'HSN/SAC code of the service, default 999293.' }) hsnSac: string;
  @Field(() => Int, { description: 'GST rate in percent (0, 5, 12, 18 or 28), default 18.' }) gstRatePercent: number;
}
