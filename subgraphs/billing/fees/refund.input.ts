import { IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class RefundPaymentInput {
  @Field(() => ID) paymentId: string;
  @Field(() => Int, { nullable: true, description: 'Paise; omitted: everything not yet refunded.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amount?: number;
  @Field(() => String) @Length(3, 200) reason: string;
  @Field(() => String, { description: 'Retries with the same key return the first refund.' })
  @Length(8, 100)
  idempotencyKey: string;
}
