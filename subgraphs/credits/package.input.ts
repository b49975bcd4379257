import { IsBoolean, IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { Channel } from './channel.type';
import { ID_MESSAGE, ID_PATTERN } from './vendor.input';
import { KEY_MESSAGE, KEY_PATTERN } from './wallet.input';

@InputType()
export class CreateCreditPackageInput {
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000_000) credits: number;
  @Field(() => Int) @IsInt() @Min(1) @Max(1_000_000_000) pricePaise: number;
}

@InputType()
export class UpdateCreditPackageInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000_000) pricePaise?: number;
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() active?: boolean;
}

@ArgsType()
export class PurchasePackageArgs {
  @Field(() => ID) @Matches(ID_PATTERN, { message: ID_MESSAGE }) packageId: string;
  @Field(() => ID, {
    description: "A PAID platform payment order (createCreditPackageOrder) of the caller's tenant for this package; never a student-fee payment.",
  })
  @Matches(ID_PATTERN, { message: ID_MESSAGE })
  paymentId: string;
  @Field(() => String) @Length(8, 100) @Matches(KEY_PATTERN, { message: KEY_MESSAGE }) idempotencyKey: string;
}

@ArgsType()
export class SetTenantRateArgs {
  @Field(() => ID) @Matches(ID_PATTERN, { message: ID_MESSAGE }) tenantId: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => Int, { description: 'Price of one credit to this tenant, in paise.' }) @IsInt() @Min(1) @Max(100_000) ratePaise: number;
}

/** Internal API args (billing's deliverCreditPackage); the order id becomes a ledger key. Fields in the order the schema has always printed them. */
@ArgsType()
export class DeliverCreditPackageArgs {
  @Field(() => Int) amountPaid: number;
  @Field(() => ID) packageId: string;
  @Field(() => ID) @Matches(ID_PATTERN, { message: ID_MESSAGE }) orderId: string;
}
