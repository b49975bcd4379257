import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Library } from './library.type';
import { Student } from './student.type';

export enum PaymentMethod {
  CASH = 'cash',
  UPI = 'upi',
  CARD = 'card',
  BANK_TRANSFER = 'bank_transfer',
  ONLINE = 'online',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod' });

export enum PaymentStatus {
  PAID = 'paid',
  PARTIALLY_REFUNDED = 'partially_refunded',
  REFUNDED = 'refunded',
}
registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

@ObjectType({ description: 'The invoice issued for a payment (numbered per tenant and financial year).' })
export class Invoice {
  @Field(() => String, { description: 'e.g. INV/2026-27/000001' }) number: string;
  @Field(() => Date) issuedAt: Date;
  @Field(() => Int, { description: 'Amount in paise, GST included.' }) amount: number;
  @Field(() => Int, { description: 'Paise: round(amount × 100 / (100 + rate)).' }) taxableValue: number;
  @Field(() => Int) gstRatePercent: number;
  @Field(() => Int, { description: 'Paise: floor(tax / 2) intra-state, else 0.' }) cgst: number;
  @Field(() => Int, { description: 'Paise: tax − CGST intra-state, else 0.' }) sgst: number;
  @Field(() => Int, { description: 'Paise: the whole tax inter-state, else 0.' }) igst: number;
  @Field(() => Int, { description: 'Paise: amount − taxableValue = cgst + sgst + igst.' }) totalTax: number;
  @Field(() => Boolean, { description: 'IGST (place of supply in another state) instead of CGST+SGST.' }) interState: boolean;
  @Field(() => String, { nullable: true, description: 'GST state code of the buyer.' }) placeOfSupply?: string;
  @Field(() => String) hsnSac: string;
  @Field(() => String, { nullable: true }) sellerLegalName?: string;
  @Field(() => String, { nullable: true }) sellerGstin?: string;
  @Field(() => String, { nullable: true }) sellerAddress?: string;
  @Field(() => String, { description: 'e.g. "Rupees One Lakh Twenty Thousand and Fifty Paise Only".' }) amountInWords: string;
  @Field(() => String, {
    description: 'Path of the printable HTML invoice on the billing service: prefix it with the billing service URL and send the same Bearer token.',
  })
  downloadPath: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Money received from a student, with its invoice.' })
export class Payment {
  @Field(() => ID) id: string;
  @Field(() => Student) student: Student;
  @Field(() => Library) library: Library;
  @Field(() => Int, { description: 'Amount in paise.' }) amount: number;
  @Field(() => String) currency: string;
  @Field(() => PaymentMethod) method: PaymentMethod;
  @Field(() => PaymentStatus) status: PaymentStatus;
  @Field(() => String, { nullable: true }) reference?: string;
  @Field(() => Date) paidAt: Date;
  @Field(() => Invoice) invoice: Invoice;
  @Field(() => String, { nullable: true, description: 'Gateway of an online payment: razorpay or cashfree.' }) provider?: string;
  @Field(() => String, { nullable: true, description: "The gateway's payment id." }) providerPaymentId?: string;
  @Field(() => Int, { description: 'Paise refunded so far.' }) refundedAmount: number;
  @Field(() => Date) createdAt: Date;
}
