import { IsEnum, IsInt, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { ArgsType, Directive, Field, ID, InputType, Int } from 'type-graphql';
import { Channel } from './channel.type';

/** Keys become ledger keys ('allocation:<key>', 'debit:<reference>'). */
export const KEY_PATTERN = /^\S+$/;
export const KEY_MESSAGE = 'must not contain spaces';

@InputType()
export class AllocateCreditsInput {
  @Field(() => ID) @Matches(/^[0-9a-f]{24}$/i, { message: 'must be a valid id' }) tenantId: string;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => Int) @IsInt() @Min(1) @Max(10_000_000) amount: number;
  @Field(() => String, { description: 'Repeating a key allocates once.' })
  @Length(8, 100)
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  idempotencyKey: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 200) note?: string;
}

/** Internal API input (hidden from the public supergraph). */
@InputType()
@Directive('@inaccessible')
export class DebitCreditsInput {
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
  @Field(() => Int, { defaultValue: 1 }) @IsInt() @Min(1) @Max(1000) amount: number;
  @Field(() => String, { description: 'Idempotency key of the debit (e.g. the message id).' })
  @Length(8, 100)
  @Matches(KEY_PATTERN, { message: KEY_MESSAGE })
  reference: string;
}

/** Internal API args (refundCredits): the reference of the debit to give back. */
@ArgsType()
export class RefundCreditsArgs {
  @Field(() => String) @Length(8, 100) @Matches(KEY_PATTERN, { message: KEY_MESSAGE }) reference: string;
}

/** Fields in the order the schema has always printed them (credits, channel). */
@ArgsType()
export class SetLowBalanceThresholdArgs {
  @Field(() => Int) @IsInt() @Min(0) @Max(10_000_000) credits: number;
  @Field(() => Channel) @IsEnum(Channel) channel: Channel;
}
