import type { MessagingContext } from './context';
import { Types } from 'mongoose';
import { AppError, forbidden } from '../../core/errors';
import { parseId } from '../../core/ids';
import { can } from '../../core/permissions/catalog';
import type { Channel } from './channel.type';
import type { SendBulkMessageInput } from './bulk.input';
import { bulkRecipientModel, bulkSendModel, type BulkRecipientDoc, type BulkSendDoc } from './bulk.model';
import { tryParseId } from '../../core/ids';
import { BulkRecipientStatus, BulkSendStatus } from './bulk.type';
import { deliverAndRecord } from './message-delivery.service';
import { contactOf, prepareMessage, type Prepared } from './message.service';
import { listRecipients } from './students.client';
import { isDuplicateKey } from '../../core/store/duplicate-key';

/**
 * Validates like sendMessage, records the job (idempotency key: a retry gets
 * the same job) and returns it RUNNING; the sending happens after the response.
 */
export async function sendBulkMessage(ctx: MessagingContext, input: SendBulkMessageInput) {
  const libraryId = input.filter?.libraryId != null ? parseId(input.filter.libraryId, 'input.filter.libraryId').toHexString() : undefined;
  const duesOlderThanDays = input.filter?.duesOlderThanDays ?? undefined;
  // Who owes money is revenue data: refused here, before a job exists, not halfway through it.
  if (duesOlderThanDays !== undefined && !can(ctx.auth!, 'revenue:read')) throw forbidden('Filtering by dues pending needs revenue:read');
  const prepared = await prepareMessage(ctx, { channel: input.channel, templateId: input.templateId, variables: input.variables, body: null });
  const Bulk = bulkSendModel(await ctx.tenantDb());
  const existing = await Bulk.findOne({ idempotencyKey: input.idempotencyKey }).lean<BulkSendDoc>();
  if (existing) return toBulkSend(existing);
  let job: BulkSendDoc;
  try {
    job = (
      await Bulk.create({
        channel: input.channel,
        templateId: prepared.templateId,
        variables: input.variables,
        filter: { libraryId, status: input.filter?.status ?? undefined, duesOlderThanDays },
        idempotencyKey: input.idempotencyKey,
        status: BulkSendStatus.RUNNING,
        createdBy: ctx.auth?.sub,
      })
    ).toObject();
  } catch (err) {
    // A concurrent retry with the same key won the insert: answer with its job.
    if (!isDuplicateKey(err)) throw err;
    return toBulkSend((await Bulk.findOne({ idempotencyKey: input.idempotencyKey }).lean<BulkSendDoc>())!);
  }
  // Runs on with the caller's context (token, tenant) after the response; never throws.
  void runBulk(ctx, job, prepared);
  return toBulkSend(job);
}

async function runBulk(ctx: MessagingContext, job: BulkSendDoc, prepared: Prepared): Promise<void> {
  const conn = await ctx.tenantDb();
  const Bulk = bulkSendModel(conn);
  const Recipient = bulkRecipientModel(conn);
  try {
    const students = await listRecipients(ctx, job.filter);
    await Recipient.insertMany(
      students.map((s) => ({ bulkId: job._id, studentId: new Types.ObjectId(s.id), status: BulkRecipientStatus.PENDING })),
      { ordered: false },
    );
    await Bulk.updateOne({ _id: job._id }, { $set: { total: students.length } });
    // One at a time: each recipient is its own debit → send → record, so credits used = messages sent.
    for (const student of students) {
      const outcome = await sendOne(ctx, job.channel as Channel, student, prepared);
      await Recipient.updateOne({ bulkId: job._id, studentId: new Types.ObjectId(student.id) }, { $set: outcome.set });
      await Bulk.updateOne({ _id: job._id }, { $inc: { [outcome.counter]: 1 } });
    }
    await Bulk.updateOne({ _id: job._id }, { $set: { status: BulkSendStatus.DONE } });
  } catch (err) {
    ctx.log.error({ err, bulkId: job._id.toHexString() }, 'bulk send stopped');
    const error = err instanceof AppError ? err.message : 'The bulk send stopped; the recipients still PENDING got nothing';
    await Bulk.updateOne({ _id: job._id }, { $set: { status: BulkSendStatus.DONE, error } }).catch((e: unknown) =>
      ctx.log.error({ err: e }, 'bulk send state not saved'),
    );
  }
}

type Counter = 'sent' | 'failed' | 'insufficientCredit';

async function sendOne(
  ctx: MessagingContext,
  channel: Channel,
  student: { id: string; name: string; phone?: string | null; email?: string | null },
  prepared: Prepared,
) {
  const to = contactOf(student, channel);
  if (!to) return fail('failed', BulkRecipientStatus.FAILED, 'The student has no contact for this channel');
  try {
    const message = await deliverAndRecord(ctx, { studentId: new Types.ObjectId(student.id), channel, to, ...prepared });
    return { counter: 'sent' as Counter, set: { status: BulkRecipientStatus.SENT, messageId: new Types.ObjectId(message.id) } };
  } catch (err) {
    if (err instanceof AppError && err.extensions.code === 'INSUFFICIENT_BALANCE') {
      return fail('insufficientCredit', BulkRecipientStatus.INSUFFICIENT_BALANCE, err.message);
    }
    return fail('failed', BulkRecipientStatus.FAILED, err instanceof AppError ? err.message : 'The message could not be sent');
  }
}

const fail = (counter: Counter, status: BulkRecipientStatus, error: string) => ({ counter, set: { status, error } });

export const toBulkSend = (d: BulkSendDoc) => ({
  id: d._id.toHexString(),
  channel: d.channel,
  templateId: d.templateId.toHexString(),
  status: d.status,
  total: d.total,
  sent: d.sent,
  failed: d.failed,
  insufficientCredit: d.insufficientCredit,
  error: d.error ?? null,
  createdAt: d.createdAt,
});

export const toBulkRecipient = (d: BulkRecipientDoc) => ({
  studentId: d.studentId.toHexString(),
  status: d.status,
  error: d.error ?? null,
  messageId: d.messageId?.toHexString() ?? null,
});

/** A bulk send of the caller's tenant, or null for an unknown or malformed id. */
export async function findBulkSend(ctx: MessagingContext, id: string) {
  const _id = tryParseId(id);
  if (!_id) return null;
  const doc = await bulkSendModel(await ctx.tenantDb())
    .findById(_id)
    .lean<BulkSendDoc>();
  return doc ? toBulkSend(doc) : null;
}

/** The first recipients of a bulk send, in listing order. */
export async function listBulkRecipients(ctx: MessagingContext, bulkId: string, first: number) {
  const docs = await bulkRecipientModel(await ctx.tenantDb())
    .find({ bulkId: tryParseId(bulkId)! })
    .sort({ bulkId: 1, _id: 1 })
    .limit(first)
    .lean<BulkRecipientDoc[]>();
  return docs.map(toBulkRecipient);
}
