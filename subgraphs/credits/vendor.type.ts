import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'A supplier the platform buys credits of one channel from.' })
export class Vendor {
  @Field(() => ID) id: string;
  @Field(() => String) name: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int, { description: 'Current cost of one credit, in paise.' }) costPaisePerCredit: number;
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: 'Credits bought from a vendor into the master wallet.' })
export class VendorPurchase {
  @Field(() => ID, { description: 'The master ledger entry.' }) id: string;
  @Field(() => Vendor, { nullable: true }) vendor?: Vendor | null;
  /** Not a GraphQL field: resolved into `vendor`. */
  vendorId: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int) credits: number;
  @Field(() => Int, { description: 'What the platform paid, in paise.' }) costPaise: number;
  @Field(() => String) idempotencyKey: string;
  @Field(() => Date) createdAt: Date;
}

@ObjectType({ description: "The platform's stock of credits, one balance per channel." })
export class MasterWallet {
  @Field(() => Int) sms: number;
  @Field(() => Int) whatsapp: number;
  @Field(() => Int) email: number;
  @Field(() => Date, { nullable: true }) updatedAt?: Date;
  /** Not a GraphQL field: the chain heads the balances were read at. */
  heads: Record<Channel, number>;
}
