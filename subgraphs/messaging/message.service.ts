import type { MessagingContext } from './context';
import type { Types } from 'mongoose';
import { badInput, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { studentContact } from './students.client';
import { Channel, contactField } from './channel.type';
import { deliverAndRecord } from './message-delivery.service';
import type { SendMessageInput } from './message.input';
import type { DeliveryDetails } from './message.provider';
import { messageModel, type MessageDoc } from './message.model';
import { toMessage } from './message-view.service';
import { templateModel, type TemplateDoc } from './template.model';
import { renderTemplate } from './template.service';
import { TemplateStatus } from './template.type';

const MAX_RENDERED_LENGTH = 2000;
/** DLT rule: each variable of an SMS template carries at most 30 characters. */
export const SMS_MAX_VARIABLE_LENGTH = 30;

export interface StudentContact {
  id: string;
  name: string;
  phone?: string | null;
  email?: string | null;
}

export interface Prepared {
  body: string;
  templateId?: Types.ObjectId;
  details?: DeliveryDetails;
}

/** Messages of the tenant (optionally of one student), newest first. */
export async function listMessages(ctx: MessagingContext, studentId: string | null | undefined, first: number) {
  const filter = studentId != null ? { studentId: parseId(studentId, 'studentId') } : {};
  const docs = await messageModel(await ctx.tenantDb())
    .find(filter)
    .sort({ createdAt: -1, _id: -1 })
    .limit(first)
    .lean<MessageDoc[]>();
  return docs.map(toMessage);
}

/** validate everything → find the student → debit → deliver → insert (see deliverAndRecord). */
export async function sendMessage(ctx: MessagingContext, input: SendMessageInput) {
  const studentId = parseId(input.studentId, 'input.studentId');
  const prepared = await prepareMessage(ctx, input);
  const student = await studentContact(ctx, studentId.toHexString());
  if (!student) throw notFound('Student');
  const to = contactOf(student, input.channel);
  if (!to) throw badInput('input.channel', `the student has no ${contactField(input.channel) === 'phone' ? 'phone number' : 'email address'}`);
  return deliverAndRecord(ctx, { studentId, channel: input.channel, to, ...prepared });
}

/** The student's phone (SMS, WhatsApp) or email, or null. */
export const contactOf = (student: StudentContact, channel: Channel): string | null => student[contactField(channel)]?.trim() || null;

/** A template with its variables, or a free body (exactly one of them: SendMessageInput checks it); a template's variables must match its placeholders. */
export async function prepareMessage(ctx: MessagingContext, input: Pick<SendMessageInput, 'channel' | 'templateId' | 'variables' | 'body'>): Promise<Prepared> {
  const hasTemplate = input.templateId != null;
  if (!hasTemplate) {
    if (input.variables?.length) throw badInput('input.variables', 'only allowed with templateId');
    if (input.channel === Channel.SMS && ctx.services.dlt) {
      throw badInput('input.body', 'SMS needs an approved DLT template (templateId): free text cannot be sent as SMS');
    }
    return { body: input.body! };
  }
  const templateId = parseId(input.templateId!, 'input.templateId');
  const template = await templateModel(await ctx.tenantDb())
    .findById(templateId)
    .lean<TemplateDoc>();
  if (!template) throw notFound('Template');
  if (template.status !== TemplateStatus.APPROVED) throw badInput('input.templateId', `template is not approved (${template.status.toUpperCase()})`);
  if (template.channel !== input.channel) throw badInput('input.channel', `template is for ${template.channel.toUpperCase()}`);
  const given = input.variables ?? [];
  const maxValue = input.channel === Channel.SMS ? SMS_MAX_VARIABLE_LENGTH : Infinity;
  const body = renderTemplate(template.body, template.variables, given, maxValue);
  if (body.length > MAX_RENDERED_LENGTH) throw badInput('input.variables', `the filled-in message exceeds ${MAX_RENDERED_LENGTH} characters`);
  const values = template.variables.map((name) => ({ name, value: given.find((v) => v.name === name)!.value }));
  return {
    body,
    templateId,
    details: {
      template: {
        name: template.name,
        values,
        dltTemplateId: template.dltTemplateId,
        senderId: template.senderId,
        whatsappName: template.whatsappName,
        language: template.language,
      },
    },
  };
}
