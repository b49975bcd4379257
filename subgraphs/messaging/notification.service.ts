import type { MessagingContext } from './context';
import { trusted, type Connection, type Types } from 'mongoose';
import { notFound } from '../../core/errors';
import type { PubSub } from '../../core/pubsub';
import { notificationTopic } from './events';
import { parseId } from '../../core/ids';
import { channelName, type Channel } from './channel.type';
import { notificationModel, type NotificationDoc } from './notification.model';
import { isDuplicateKey } from '../../core/store/duplicate-key';

/** Notifications the caller may see: addressed to them or to the whole tenant. */
const visibleTo = (ctx: MessagingContext) => ({ userId: trusted({ $in: [null, ctx.auth!.sub] }) });

export async function listNotifications(ctx: MessagingContext, unreadOnly: boolean, first: number) {
  const Notification = notificationModel(await ctx.tenantDb());
  const filter = unreadOnly ? { ...visibleTo(ctx), read: false } : visibleTo(ctx);
  const docs = await Notification.find(filter).sort({ createdAt: -1, _id: -1 }).limit(first).lean<NotificationDoc[]>();
  return docs.map(toNotification);
}

/** Tenant-wide notifications are shared: one staff member reading it marks it read for all. */
export async function markNotificationRead(ctx: MessagingContext, id: string) {
  const _id = parseId(id, 'id');
  const Notification = notificationModel(await ctx.tenantDb());
  // Only an unread one changes, so the first readAt is kept when marked again.
  const doc =
    (await Notification.findOneAndUpdate(
      { _id, ...visibleTo(ctx), read: false },
      { $set: { read: true, readAt: new Date() } },
      { returnDocument: 'after' },
    ).lean<NotificationDoc>()) ?? (await Notification.findOne({ _id, ...visibleTo(ctx) }).lean<NotificationDoc>());
  if (!doc) throw notFound('Notification');
  return toNotification(doc);
}

/** Called for the one debit that took the balance below the tenant's threshold (credits decides: debitCredits.lowBalanceCrossed). */
export async function notifyLowBalance(ctx: MessagingContext, channel: Channel, balanceAfter: number, debitId: string): Promise<void> {
  const name = channelName(channel);
  const tenantId = (await ctx.tenant())._id.toHexString();
  await createNotification(await ctx.tenantDb(), ctx.publish, tenantId, {
    type: 'LOW_CREDIT_BALANCE',
    title: `Low ${name} credit balance`,
    body: `Only ${balanceAfter} ${name} credits left. Top up to keep messaging students.`,
    sourceKey: `low-balance:${debitId}`,
  });
}

export interface NewNotification {
  type: string;
  title: string;
  body: string;
  sourceKey: string;
  userId?: string | null;
  studentId?: Types.ObjectId | null;
}

/**
 * Stores a notification once per source event (unique `sourceKey`, so a
 * redelivered event or a second messaging instance adds nothing) and tells
 * live subscribers about it.
 */
export async function createNotification(conn: Connection, publish: PubSub['publish'], tenantId: string, n: NewNotification): Promise<string | null> {
  try {
    const doc = await notificationModel(conn).create({ ...n, userId: n.userId ?? null, studentId: n.studentId ?? null });
    const id = doc._id.toHexString();
    await publish(notificationTopic(tenantId), { id, userId: n.userId ?? null });
    return id;
  } catch (err) {
    if (isDuplicateKey(err)) return null;
    throw err;
  }
}

export async function getNotification(ctx: MessagingContext, id: string) {
  const doc = await notificationModel(await ctx.tenantDb())
    .findOne({ _id: parseId(id, 'id'), ...visibleTo(ctx) })
    .lean<NotificationDoc>();
  return doc ? toNotification(doc) : null;
}

export const toNotification = (d: NotificationDoc) => ({
  id: d._id.toHexString(),
  type: d.type,
  title: d.title,
  body: d.body,
  read: d.read,
  studentId: d.studentId ? d.studentId.toHexString() : null,
  createdAt: d.createdAt,
});
