import { pageSize } from '../../core/pagination';
import type { MessagingContext } from './context';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { MessagesArgs, SendMessageInput } from './message.input';
import { listMessages, sendMessage } from './message.service';
import { Message } from './message.type';

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => [Message], { description: "Messages of the caller's tenant (optionally of one student), newest first." })
  messages(@Args(() => MessagesArgs) { studentId, first }: MessagesArgs, @Ctx() ctx: MessagingContext) {
    return listMessages(ctx, studentId, pageSize(first));
  }

  @Mutation(() => Message, { description: 'Sends an SMS, WhatsApp message or email to a student for 1 credit of that channel.' })
  sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() ctx: MessagingContext) {
    return sendMessage(ctx, input);
  }
}
