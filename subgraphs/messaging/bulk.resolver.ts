import type { MessagingContext } from './context';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput } from '../../core/errors';
import { SendBulkMessageInput } from './bulk.input';
import { findBulkSend, listBulkRecipients, sendBulkMessage } from './bulk.service';
import { BulkSend, BulkSendRecipient } from './bulk.type';

@Resolver(() => BulkSend)
export class BulkSendResolver {
  @Query(() => BulkSend, { nullable: true, description: 'A bulk send of the caller\'s tenant and its progress.' })
  bulkSend(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return findBulkSend(ctx, id);
  }

  @Mutation(() => BulkSend, { description: 'Sends an approved template to every matching student (1 credit each), in the background.' })
  sendBulkMessage(@Arg('input', () => SendBulkMessageInput) input: SendBulkMessageInput, @Ctx() ctx: MessagingContext) {
    return sendBulkMessage(ctx, input);
  }

  @FieldResolver(() => [BulkSendRecipient], { description: 'Recipients in listing order.' })
  recipients(
    @Root() bulk: { id: string },
    @Arg('first', () => Int, { defaultValue: 100, description: '1..500' }) first: number,
    @Ctx() ctx: MessagingContext,
  ) {
    if (first < 1 || first > 500) throw badInput('first', 'must be between 1 and 500');
    return listBulkRecipients(ctx, bulk.id, first);
  }
}
