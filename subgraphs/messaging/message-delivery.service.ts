import type { MessagingContext } from './context';
import { Types } from 'mongoose';
import { AppError } from '../../core/errors';
import type { Channel } from './channel.type';
import { debitCredits, refundCredits, type Debit } from './credits.client';
import { messageIndexModel } from './message-index.model';
import { messageModel, type MessageDoc } from './message.model';
import { toMessage } from './message-view.service';
import { MessageStatus } from './message.type';
import { notifyLowBalance } from './notification.service';
import { messageProvider, type DeliveryDetails } from './message.provider';

/** Credits one message costs on any channel. */
export const MESSAGE_COST = 1;

export interface Outgoing {
  studentId: Types.ObjectId;
  channel: Channel;
  to: string;
  body: string;
  templateId?: Types.ObjectId;
  details?: DeliveryDetails;
  /** Set by automations (welcome, receipt, dues). */
  automation?: string;
  /** Runs right before the provider is called (automations mark their claim as sending). */
  beforeSend?: () => Promise<void>;
}

/**
 * Reserve → send → commit, or release: debit (reference = the new message id)
 * → deliver → insert the message → index its provider id. A failed delivery or
 * insert refunds the debit, so no credit is lost and nothing is half-written.
 */
export async function deliverAndRecord(ctx: MessagingContext, out: Outgoing) {
  const _id = new Types.ObjectId();
  const reference = _id.toHexString();
  const debit = await takeCredit(ctx, out.channel, reference);
  let message: MessageDoc;
  let provider: string;
  try {
    const chosen = messageProvider(ctx);
    await out.beforeSend?.();
    const sent = await deliver(ctx, () => chosen.send(out.channel, out.to, out.body, out.details));
    provider = sent.provider ?? chosen.name;
    const created = await messageModel(await ctx.tenantDb()).create({
      _id,
      studentId: out.studentId,
      channel: out.channel,
      body: out.body,
      status: MessageStatus.SENT,
      creditsUsed: MESSAGE_COST,
      provider,
      providerId: sent.providerId,
      debitEntryId: debit.entryId,
      templateId: out.templateId,
      sentBy: ctx.auth?.sub,
      automation: out.automation,
    });
    message = created.toObject();
  } catch (err) {
    await refundCredits(ctx, reference).catch((refundErr: unknown) =>
      ctx.log.error({ err: refundErr, reference }, 'refund after a failed send failed: credit must be returned by hand'),
    );
    throw err;
  }
  await indexMessage(ctx, message, provider);
  if (debit.lowBalanceCrossed) {
    // The message is sent and paid for; a lost notice must not turn that into an error.
    await notifyLowBalance(ctx, out.channel, debit.balanceAfter, debit.entryId).catch((err: unknown) =>
      ctx.log.error({ err }, 'low balance notification failed'),
    );
  }
  return toMessage(message);
}

/** Lets delivery reports find the message; a lost entry only costs status updates, so it is logged, not thrown. */
async function indexMessage(ctx: MessagingContext, message: MessageDoc, provider: string): Promise<void> {
  if (!message.providerId || provider === 'log') return;
  try {
    const tenant = await ctx.tenant();
    await messageIndexModel(ctx.db.platform()).create({
      providerMessageId: message.providerId,
      provider,
      tenantId: tenant._id.toHexString(),
      messageId: message._id,
    });
  } catch (err) {
    ctx.log.error({ err, messageId: message._id.toHexString() }, 'message index write failed: delivery reports will be ignored');
  }
}

async function takeCredit(ctx: MessagingContext, channel: Channel, reference: string): Promise<Debit> {
  try {
    return await debitCredits(ctx, channel, MESSAGE_COST, reference);
  } catch (err) {
    // A timeout may hide a debit that went through: compensate (idempotent, best effort).
    if (err instanceof AppError && err.extensions.code === 'SERVICE_UNAVAILABLE') {
      await refundCredits(ctx, reference).catch(() => undefined);
    }
    throw err;
  }
}

/** Provider failures become SERVICE_UNAVAILABLE (the caller refunds); details stay in the log. */
async function deliver<T>(ctx: MessagingContext, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    ctx.log.error({ err }, 'message delivery failed');
    throw new AppError('SERVICE_UNAVAILABLE', 'The message could not be delivered; no credit was used');
  }
}
