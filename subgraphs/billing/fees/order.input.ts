import { IsInt, IsOptional, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreatePaymentOrderInput {
  @Field(() => ID) studentId: string;
  @Field(() => Int, { description: 'Amount in paise (min ₹1).' }) @IsInt() @Min(100) @Max(100_000_000) amount: number;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) purpose?: string;
  @Field(() => String, { description: 'Retries with the same key return the first order.' })
  @Length(8, 100)
  idempotencyKey: string;
}

@InputType()
export class VerifyRazorpayPaymentInput {
  @Field(() => ID, { description: 'Our PaymentOrder id.' }) orderId: string;
  @Field(() => String) @Matches(/^pay_[A-Za-z0-9]{1,40}$/, { message: 'must be a Razorpay payment id' }) razorpayPaymentId: string;
  @Field(() => String) @Matches(/^[0-9a-f]{64}$/, { message: 'must be a hex HMAC-SHA256' }) razorpaySignature: string;
}
