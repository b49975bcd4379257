import type { MessagingContext } from './context';
import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { newestPerKey } from '../../core/newest-per-key';
import { messageModel, type MessageDoc } from './message.model';
import { toMessage } from './message-view.service';

type MessageView = ReturnType<typeof toMessage>;

/** Newest `first` messages per student: one bounded query for the batch (core/newest-per-key.ts). */
export const studentMessagesLoader = (ctx: MessagingContext, first: number) =>
  ctx.memo(
    `messaging.messagesByStudent.${first}`,
    () =>
      new DataLoader<string, MessageView[]>(async (ids) => {
        const Message = messageModel(await ctx.tenantDb());
        const oids = [...new Set(ids)].map(tryParseId).filter((x) => x !== null);
        const byStudent = await newestPerKey<MessageDoc>(
          oids,
          first,
          'studentId',
          (keys) => trusted({ $in: keys }),
          (filter, limit) => Message.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).batchSize(limit).lean<MessageDoc[]>(),
          (d) => d.studentId.toHexString(),
        );
        return ids.map((id) => (byStudent.get(tryParseId(id)?.toHexString() ?? '') ?? []).map(toMessage));
      }),
  );

/** Message count per student: one aggregate for the whole batch. */
export const messageCountLoader = (ctx: MessagingContext) =>
  ctx.memo(
    'messaging.messageCountByStudent',
    () =>
      new DataLoader<string, number>(async (ids) => {
        const oids = ids.map(tryParseId).filter((x) => x !== null);
        const Message = messageModel(await ctx.tenantDb());
        const rows = oids.length
          ? await Message.aggregate<{ _id: MessageDoc['studentId']; n: number }>(
              [{ $match: { studentId: { $in: oids } } }, { $group: { _id: '$studentId', n: { $sum: 1 } } }],
              { batchSize: oneBatch(oids.length) },
            )
          : [];
        const byId = new Map(rows.map((r) => [r._id.toHexString(), r.n]));
        return ids.map((id) => byId.get(id) ?? 0);
      }),
  );
