import type { MessagingContext } from './context';
import { Types } from 'mongoose';
import { AppError } from '../../core/errors';
import { disabledModule } from '../../core/permissions/modules';
import { DEFAULT_BODIES } from './automation-content.service';
import { automationSendModel, type AutomationKind, type AutomationSendDoc, type RuleDoc } from './automation.model';
import { Channel } from './channel.type';
import { deliverAndRecord } from './message-delivery.service';
import { messageModel } from './message.model';
import { contactOf, prepareMessage, SMS_MAX_VARIABLE_LENGTH, type Prepared, type StudentContact } from './message.service';
import { MessageStatus } from './message.type';
import { templateModel, type TemplateDoc } from './template.model';
import { parseVariables, renderTemplate } from './template.service';
import { isDuplicateKey } from '../../core/store/duplicate-key';

export interface AutomatedMessage {
  kind: AutomationKind;
  /** Idempotency key: welcome:<studentId>, receipt:<paymentId>, dues:<studentId>:<period>. */
  key: string;
  rule: RuleDoc;
  student: StudentContact;
  /** Every value the automation offers (AUTOMATION_VARIABLES); a template takes the ones it uses. */
  values: Record<string, string>;
  /**
   * A redelivery after a failed or crashed attempt (domain events): a claim left
   * pending that never reached the provider is taken over instead of skipped.
   */
  resume?: boolean;
}

export type Outcome = 'sent' | 'skipped' | 'failed';
type Result = Pick<AutomationSendDoc, 'status' | 'reason' | 'messageId'>;

/**
 * Claim the key → pick the channel → reserve/send/commit (deliverAndRecord).
 * A claimed key is sent at most once: the claim is marked `sendingAt` right
 * before the provider call, and only a claim without it (the process died
 * before reaching the provider) is taken over by a redelivery (`resume`). A
 * crash during the provider call itself loses that message rather than risking
 * a double send.
 */
export async function sendAutomated(ctx: MessagingContext, m: AutomatedMessage): Promise<Outcome> {
  // Messaging switched off (or not in the plan): automations send nothing, like the API.
  if (disabledModule(await ctx.tenant(), ['messaging'])) return 'skipped';
  const Sends = automationSendModel(await ctx.tenantDb());
  const studentId = new Types.ObjectId(m.student.id);
  let claimId: Types.ObjectId;
  try {
    claimId = (await Sends.create({ key: m.key, kind: m.kind, studentId, status: 'pending' }))._id;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const stranded = m.resume ? await Sends.findOne({ key: m.key, status: 'pending', sendingAt: null }).lean<AutomationSendDoc>() : null;
    if (!stranded) return 'skipped';
    claimId = stranded._id;
  }
  const beforeSend = async () => void (await Sends.updateOne({ _id: claimId }, { $set: { sendingAt: new Date() } }));
  let result: Result;
  try {
    result = await attempt(ctx, m, studentId, beforeSend);
  } catch (err) {
    ctx.log.error({ err, kind: m.kind, key: m.key }, 'automated message failed');
    result = { status: 'failed', reason: 'INTERNAL' };
  }
  await Sends.updateOne({ _id: claimId }, { $set: result });
  ctx.log.info({ kind: m.kind, key: m.key, status: result.status, reason: result.reason }, 'automated message');
  return result.status === 'pending' ? 'failed' : result.status;
}

/** Channels to try, in order; the automatic choice moves on only when a channel has no credits. */
function channelsFor(ctx: MessagingContext, rule: RuleDoc, student: StudentContact): Channel[] {
  const auto = [Channel.SMS, Channel.WHATSAPP, Channel.EMAIL].filter((c) => c !== Channel.SMS || !ctx.services.dlt);
  const wanted = rule.channel ? [rule.channel as Channel] : auto;
  return wanted.filter((c) => contactOf(student, c) != null);
}

async function attempt(ctx: MessagingContext, m: AutomatedMessage, studentId: Types.ObjectId, beforeSend: () => Promise<void>): Promise<Result> {
  const channels = channelsFor(ctx, m.rule, m.student);
  if (!channels.length) return { status: 'skipped', reason: 'NO_CONTACT' };
  let first: { channel: Channel; prepared: Prepared } | undefined;
  for (const channel of channels) {
    let prepared: Prepared;
    try {
      prepared = await prepare(ctx, m, channel);
    } catch {
      // e.g. the template was rejected after it was chosen
      return recordFailed(ctx, m, studentId, channel, `(${m.kind} template unusable)`, 'TEMPLATE_UNUSABLE');
    }
    first ??= { channel, prepared };
    try {
      const message = await deliverAndRecord(ctx, { studentId, channel, to: contactOf(m.student, channel)!, ...prepared, automation: m.kind, beforeSend });
      return { status: 'sent', messageId: new Types.ObjectId(message.id) };
    } catch (err) {
      const code = err instanceof AppError ? err.extensions.code : 'INTERNAL';
      if (code === 'INSUFFICIENT_BALANCE') continue;
      return recordFailed(ctx, m, studentId, channel, prepared.body, code === 'SERVICE_UNAVAILABLE' ? 'DELIVERY_FAILED' : String(code));
    }
  }
  return recordFailed(ctx, m, studentId, first!.channel, first!.prepared.body, 'INSUFFICIENT_BALANCE');
}

/** The configured template with the values it uses (SMS values cut to the DLT limit), or the built-in text. */
async function prepare(ctx: MessagingContext, m: AutomatedMessage, channel: Channel): Promise<Prepared> {
  const limit = channel === Channel.SMS ? SMS_MAX_VARIABLE_LENGTH : Infinity;
  const values = (names: string[]) => names.map((name) => ({ name, value: (m.values[name] ?? '').slice(0, limit) || '-' }));
  if (!m.rule.templateId) {
    const body = DEFAULT_BODIES[m.kind];
    return { body: renderTemplate(body, parseVariables(body), values(parseVariables(body))) };
  }
  const template = await templateModel(await ctx.tenantDb())
    .findById(m.rule.templateId)
    .lean<TemplateDoc>();
  if (!template) throw new Error('template gone');
  return prepareMessage(ctx, { channel, templateId: template._id.toHexString(), variables: values(template.variables), body: null });
}

/** A message that could not go out is still on the student's record, FAILED with its reason; nothing was debited. */
async function recordFailed(
  ctx: MessagingContext,
  m: AutomatedMessage,
  studentId: Types.ObjectId,
  channel: Channel,
  body: string,
  reason: string,
): Promise<Result> {
  const doc = await messageModel(await ctx.tenantDb()).create({
    studentId,
    channel,
    body,
    status: MessageStatus.FAILED,
    creditsUsed: 0,
    provider: 'none',
    failureReason: reason,
    automation: m.kind,
    sentBy: ctx.auth?.sub,
    templateId: m.rule.templateId ?? undefined,
  });
  return { status: 'failed', reason, messageId: doc._id };
}
