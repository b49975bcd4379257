import { IsEnum, IsInt, IsOptional, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PageSize } from '../../../core/pagination';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { PaymentMethod } from './payment.type';
import { STATE_CODE } from '../invoicing/settings.input';

/** Calendar month as stored on payments. */
export const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

@InputType()
export class RecordPaymentInput {
  @Field(() => ID) studentId: string;
  @Field(() => Int, { description: 'Amount in paise.' }) @IsInt() @Min(1) @Max(100_000_000) amount: number;
  @Field(() => PaymentMethod) @IsEnum(PaymentMethod) method: PaymentMethod;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) reference?: string;
  @Field(() => String, { nullable: true, description: 'Retries with the same key return the first payment.' })
  @IsOptional()
  @Length(8, 100)
  idempotencyKey?: string;
  @Field(() => String, { nullable: true, description: "Buyer's GST state code; IGST when it is not the tenant's state. Default: intra-state." })
  @IsOptional()
  @Matches(STATE_CODE, { message: 'must be a two-digit GST state code' })
  placeOfSupply?: string;
}

@InputType()
export class PaymentFilter {
  @Field(() => ID, { nullable: true }) studentId?: string;
  @Field(() => ID, { nullable: true }) libraryId?: string;
  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  @IsOptional()
  @Matches(MONTH, { message: 'must be YYYY-MM' })
  month?: string;
}

@ArgsType()
export class PaymentsArgs {
  @Field(() => PaymentFilter, { nullable: true }) @IsOptional() @ValidateNested() filter?: PaymentFilter;
  @Field(() => Int, { nullable: true, defaultValue: 50 }) @PageSize() first?: number | null;
}

@ArgsType()
export class StudentPaymentsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 10 }) @PageSize() last?: number | null;
}
