import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { parseId } from '../../core/ids';
import { MessagesArgs, SendMessageInput } from './message.input';
import { messageModel, toMessage, type MessageDoc } from './message.model';
import { sendMessage } from './message.service';
import { Message } from './message.type';

@Resolver(() => Message)
export class MessageResolver {
  @Query(() => [Message], { description: 'Messages of the caller\'s tenant (optionally of one student), newest first.' })
  async messages(@Args(() => MessagesArgs) { studentId, first }: MessagesArgs, @Ctx() ctx: RequestContext) {
    const filter = studentId != null ? { studentId: parseId(studentId, 'studentId') } : {};
    const Message = messageModel(await ctx.tenantDb());
    const docs = await Message.find(filter).sort({ createdAt: -1, _id: -1 }).limit(first).lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  @Mutation(() => Message, { description: 'Sends an SMS, WhatsApp message or email to a student for 1 credit of that channel.' })
  sendMessage(@Arg('input', () => SendMessageInput) input: SendMessageInput, @Ctx() ctx: RequestContext) {
    return sendMessage(ctx, input);
  }
}
