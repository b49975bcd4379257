import DataLoader from 'dataloader';
import type { RequestContext } from '../../core/context';
import { tryParseId } from '../../core/ids';
import { messageModel, toMessage, type MessageDoc } from './message.model';

type MessageView = ReturnType<typeof toMessage>;

/**
 * Newest `first` messages per student. One indexed, limited query per distinct
 * student in the batch (studentId+createdAt): a single `$in` query could not
 * bound the per-student count without reading every message of every student.
 */
export const studentMessagesLoader = (ctx: RequestContext, first: number) =>
  ctx.memo(`messaging.messagesByStudent.${first}`, () =>
    new DataLoader<string, MessageView[]>(async (ids) => {
      const Message = messageModel(await ctx.tenantDb());
      return Promise.all(
        ids.map(async (id) => {
          const studentId = tryParseId(id);
          if (!studentId) return [];
          const docs = await Message.find({ studentId }).sort({ createdAt: -1, _id: -1 }).limit(first).lean<MessageDoc[]>();
          return docs.map(toMessage);
        }),
      );
    }),
  );

/** Message count per student: one aggregate for the whole batch. */
export const messageCountLoader = (ctx: RequestContext) =>
  ctx.memo('messaging.messageCountByStudent', () =>
    new DataLoader<string, number>(async (ids) => {
      const oids = ids.map(tryParseId).filter((x) => x !== null);
      const Message = messageModel(await ctx.tenantDb());
      const rows = oids.length
        ? await Message.aggregate<{ _id: MessageDoc['studentId']; n: number }>([
            { $match: { studentId: { $in: oids } } },
            { $group: { _id: '$studentId', n: { $sum: 1 } } },
          ])
        : [];
      const byId = new Map(rows.map((r) => [r._id.toHexString(), r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  );
