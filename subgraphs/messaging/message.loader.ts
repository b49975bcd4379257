import DataLoader from 'dataloader';
import { trusted } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { oneBatch } from '../../core/db-batch';
import { tryParseId } from '../../core/ids';
import { messageModel, toMessage, type MessageDoc } from './message.model';

type MessageView = ReturnType<typeof toMessage>;

/**
 * Newest `first` messages per student. One query for the whole batch, bounded to
 * `first` × students documents, newest first: every student's share of it is that
 * student's newest messages. Only a student left with fewer than `first` when the
 * bound was reached may have been crowded out; those get their own indexed, limited
 * query (studentId+createdAt). Usually that is nobody: one query instead of one per student.
 */
export const studentMessagesLoader = (ctx: RequestContext, first: number) =>
  ctx.memo(`messaging.messagesByStudent.${first}`, () =>
    new DataLoader<string, MessageView[]>(async (ids) => {
      const Message = messageModel(await ctx.tenantDb());
      const oids = [...new Set(ids)].map(tryParseId).filter((x) => x !== null);
      const newest = (filter: object, limit: number) =>
        Message.find(filter).sort({ createdAt: -1, _id: -1 }).limit(limit).batchSize(limit).lean<MessageDoc[]>();
      const bound = first * oids.length;
      const docs = oids.length ? await newest({ studentId: trusted({ $in: oids }) }, bound) : [];
      const byStudent = new Map<string, MessageDoc[]>(oids.map((o) => [o.toHexString(), []]));
      for (const d of docs) byStudent.get(d.studentId.toHexString())?.push(d);
      if (docs.length === bound) {
        await Promise.all(oids.map(async (o) => {
          const mine = byStudent.get(o.toHexString())!;
          if (mine.length < first) byStudent.set(o.toHexString(), await newest({ studentId: o }, first));
        }));
      }
      return ids.map((id) => (byStudent.get(tryParseId(id)?.toHexString() ?? '')?.slice(0, first) ?? []).map(toMessage));
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
          ], { batchSize: oneBatch(oids.length) })
        : [];
      const byId = new Map(rows.map((r) => [r._id.toHexString(), r.n]));
      return ids.map((id) => byId.get(id) ?? 0);
    }),
  );
