import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'Platform price of one credit per channel, in paise.' })
export class CreditRates {
  @Field(() => Int) sms: number;
  @Field(() => Int) whatsapp: number;
  @Field(() => Int) email: number;
}

@ObjectType({ description: 'Low-balance threshold per channel: a debit taking the balance below it warns the tenant.' })
export class CreditThresholds {
  @Field(() => Int) sms: number;
  @Field(() => Int) whatsapp: number;
  @Field(() => Int) email: number;
}

/** The GraphQL shape; resolvers get a WalletSource (wallet.service.ts) and read balances lazily. */
@ObjectType({ description: "A tenant's prepaid messaging credits, one balance per channel." })
export class Wallet {
  @Field(() => ID, { description: 'The tenant id.' }) id: string;
  @Field(() => Int) sms: number;
  @Field(() => Int) whatsapp: number;
  @Field(() => Int) email: number;
  @Field(() => Date, { nullable: true, description: 'Last balance change.' }) updatedAt?: Date;
  @Field(() => CreditThresholds) thresholds: CreditThresholds;
}

/** Result of the internal debit API (hidden from the public supergraph). */
@Directive('@inaccessible')
@ObjectType()
export class CreditDebit {
  @Field(() => Channel) channel: Channel;
  @Field(() => Int) balanceAfter: number;
  @Field(() => ID) entryId: string;
  @Field(() => Boolean, { description: "This debit took the balance below the tenant's threshold (one debit per crossing)." })
  lowBalanceCrossed: boolean;
}
