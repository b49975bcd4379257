import type { MessagingContext } from './context';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageSize } from '../../core/pagination';
import { BULK_RECIPIENTS_PAGE, BulkRecipientsArgs, SendBulkMessageInput } from './bulk.input';
import { findBulkSend, listBulkRecipients, sendBulkMessage } from './bulk.service';
import { BulkSend, BulkSendRecipient } from './bulk.type';

@Resolver(() => BulkSend)
export class BulkSendResolver {
  @Query(() => BulkSend, { nullable: true, description: "A bulk send of the caller's tenant and its progress." })
  bulkSend(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return findBulkSend(ctx, id);
  }

  @Mutation(() => BulkSend, { description: 'Sends an approved template to every matching student (1 credit each), in the background.' })
  sendBulkMessage(@Arg('input', () => SendBulkMessageInput) input: SendBulkMessageInput, @Ctx() ctx: MessagingContext) {
    return sendBulkMessage(ctx, input);
  }

  @FieldResolver(() => [BulkSendRecipient], { description: 'Recipients in listing order.' })
  recipients(@Root() bulk: { id: string }, @Args(() => BulkRecipientsArgs) { first }: BulkRecipientsArgs, @Ctx() ctx: MessagingContext) {
    return listBulkRecipients(ctx, bulk.id, pageSize(first, BULK_RECIPIENTS_PAGE));
  }
}
