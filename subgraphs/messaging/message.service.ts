import { Types } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { AppError, badInput, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { fetchEntities } from '../../core/internal';
import { contactField, type Channel } from './channel';
import { debitCredits, refundCredits, type Debit } from './credits.client';
import type { SendMessageInput } from './message.input';
import { messageModel, toMessage, type MessageDoc } from './message.model';
import { MessageStatus } from './message.type';
import { crossedLowBalance, notifyLowBalance } from './notification.service';
import { messageProvider } from './provider';
import { templateModel, type TemplateDoc } from './template.model';
import { renderTemplate } from './template.service';
import { TemplateStatus } from './template.type';

/** Credits one message costs on any channel. */
const MESSAGE_COST = 1;
const MAX_RENDERED_LENGTH = 2000;

interface StudentContact {
  id: string;
  name: string;
  phone?: string | null;
  email?: string | null;
}

/**
 * validate everything → find the student → debit (reference = new message id)
 * → deliver → insert. A failed delivery or insert refunds the debit, so no
 * credit is lost and nothing is half-written; no credit → no message.
 */
export async function sendMessage(ctx: RequestContext, input: SendMessageInput) {
  const studentId = parseId(input.studentId, 'input.studentId');
  const { body, templateId } = await resolveBody(ctx, input);
  const to = await recipient(ctx, studentId.toHexString(), input.channel);

  const _id = new Types.ObjectId();
  const reference = _id.toHexString();
  const debit = await takeCredit(ctx, input.channel, reference);
  let message: MessageDoc;
  try {
    const provider = messageProvider(ctx);
    const { providerId } = await deliver(ctx, () => provider.send(input.channel, to, body));
    const created = await messageModel(await ctx.tenantDb()).create({
      _id, studentId, channel: input.channel, body, status: MessageStatus.SENT, creditsUsed: MESSAGE_COST,
      provider: provider.name, providerId, debitEntryId: debit.entryId, templateId, sentBy: ctx.auth?.sub,
    });
    message = created.toObject();
  } catch (err) {
    await refundCredits(ctx, reference).catch((refundErr: unknown) =>
      ctx.log.error({ err: refundErr, reference }, 'refund after a failed send failed: credit must be returned by hand'),
    );
    throw err;
  }
  if (crossedLowBalance(debit.balanceAfter, MESSAGE_COST)) {
    // The message is sent and paid for; a lost notice must not turn that into an error.
    await notifyLowBalance(ctx, input.channel, debit.balanceAfter, debit.entryId).catch((err: unknown) =>
      ctx.log.error({ err }, 'low balance notification failed'),
    );
  }
  return toMessage(message);
}

/** Exactly one of templateId/body; a template's variables must match its placeholders. */
async function resolveBody(ctx: RequestContext, input: SendMessageInput): Promise<{ body: string; templateId?: Types.ObjectId }> {
  const hasTemplate = input.templateId != null;
  if (hasTemplate === (input.body != null)) throw badInput('input.templateId', 'give exactly one of templateId or body');
  if (!hasTemplate) {
    if (input.variables?.length) throw badInput('input.variables', 'only allowed with templateId');
    return { body: input.body! };
  }
  const templateId = parseId(input.templateId!, 'input.templateId');
  const template = await templateModel(await ctx.tenantDb()).findById(templateId).lean<TemplateDoc>();
  if (!template) throw notFound('Template');
  if (template.status !== TemplateStatus.APPROVED) throw badInput('input.templateId', 'template is not approved');
  if (template.channel !== input.channel) throw badInput('input.channel', `template is for ${template.channel.toUpperCase()}`);
  const body = renderTemplate(template.body, template.variables, input.variables ?? []);
  if (body.length > MAX_RENDERED_LENGTH) throw badInput('input.variables', `the filled-in message exceeds ${MAX_RENDERED_LENGTH} characters`);
  return { body, templateId };
}

/** The student's phone (SMS, WhatsApp) or email, from the student subgraph in the caller's tenant. */
async function recipient(ctx: RequestContext, studentId: string, channel: Channel): Promise<string> {
  const [student] = await fetchEntities<StudentContact>(ctx, 'student', 'Student', [studentId], 'id name phone email');
  if (!student) throw notFound('Student');
  const field = contactField(channel);
  const to = student[field]?.trim();
  if (!to) throw badInput('input.channel', `the student has no ${field === 'phone' ? 'phone number' : 'email address'}`);
  return to;
}

async function takeCredit(ctx: RequestContext, channel: Channel, reference: string): Promise<Debit> {
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
async function deliver<T>(ctx: RequestContext, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    ctx.log.error({ err }, 'message delivery failed');
    throw new AppError('SERVICE_UNAVAILABLE', 'The message could not be delivered; no credit was used');
  }
}
