import { IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { Channel } from './channel.type';
import { KEY_MESSAGE, KEY_PATTERN } from './wallet.input';

export const ID_PATTERN = /^[0-9a-f]{24}$/i;
export const ID_MESSAGE = 'must be a valid id';

@InputType()
export class CreateVendorInput {
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => Int) @IsInt() @Min(1) @Max(100_000) costPaisePerCredit: number;
}

@InputType()
export class UpdateVendorInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) name?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100_000) costPaisePerCredit?: number;
}

@ArgsType()
export class PurchaseCreditsArgs {
  @Field(() => ID) @Matches(ID_PATTERN, { message: ID_MESSAGE }) vendorId: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(100_000_000) credits: number;
  @Field(() => String, { description: 'Repeating a key buys once.' })
  @Length(8, 100)
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  idempotencyKey: string;
}
