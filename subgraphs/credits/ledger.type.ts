import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Channel } from './channel.type';

@ObjectType({ description: 'An applied credit movement (append-only ledger).' })
export class LedgerEntry {
  @Field(() => ID) id: string;
  @Field(() => Channel) channel: Channel;
  @Field(() => Int, { description: 'Positive for allocations and refunds, negative for debits.' }) delta: number;
  @Field(() => Int, { description: 'The channel balance right after this movement.' }) balanceAfter: number;
  @Field(() => String, { description: 'allocation, message or refund.' }) reason: string;
  @Field(() => String) reference: string;
  @Field(() => String, { nullable: true }) note?: string;
  @Field(() => Date) createdAt: Date;
}
