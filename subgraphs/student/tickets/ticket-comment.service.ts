import { Types } from 'mongoose';
import { badInput, forbidden } from '../../../core/errors';
import { nowOf, type StudentContext } from '../context';
import type { TicketCommentInput } from './ticket.input';
import { TicketStatus } from './ticket.model';
import { ticketCommentModel, type TicketCommentDoc } from './ticket-comment.model';
import { outletOf, ticketChanged } from './ticket-notify.service';
import { recordLateClocks } from './ticket-sla.service';
import { actorOf, isPartner, markFirstResponse, ticketFor } from './ticket.service';

export const toTicketComment = (d: TicketCommentDoc) => ({
  id: d._id.toHexString(),
  body: d.body,
  internal: d.internal,
  authorKind: d.author.kind === 'partner' ? 'STUDENT_APP' : 'STAFF',
  authorId: d.author.kind === 'partner' ? null : d.author.id,
  attachments: d.attachments ?? [],
  createdAt: d.createdAt,
});

/**
 * A comment on a ticket the caller may see. The student app (partner key) writes public
 * comments on its students' tickets only; a public staff comment is the first response
 * if none came before. Closed tickets take no comments (reopen first).
 */
export async function addTicketComment(ctx: StudentContext, input: TicketCommentInput) {
  const conn = await ctx.tenantDb();
  const ticket = await ticketFor(ctx, input.ticketId, 'input.ticketId');
  if (isPartner(ctx)) {
    if (input.internal) throw forbidden('The student app cannot write internal notes');
    if (!ticket.studentId) throw forbidden("The student app comments on its students' tickets only");
  }
  if (ticket.status === TicketStatus.CLOSED) throw badInput('input.ticketId', 'a closed ticket takes no comments: reopen it first');
  const now = nowOf(ctx);
  const Comments = ticketCommentModel(conn);
  const doc = (
    await new Comments({
      ticketId: ticket._id,
      body: input.body.trim(),
      internal: input.internal,
      author: actorOf(ctx),
      attachments: input.attachments ?? [],
      createdAt: now,
    }).save({
      timestamps: false,
    })
  ).toObject<TicketCommentDoc>();
  if (!isPartner(ctx) && !input.internal) {
    await recordLateClocks(ctx, ticket, { firstResponse: true, resolution: false });
    await markFirstResponse(conn, ticket, now);
  }
  // Internal notes reach live staff subscribers only, never the durable event partners may receive.
  await ticketChanged(await outletOf(ctx), ticket, 'commented', `comment:${doc._id.toHexString()}`, !input.internal);
  return toTicketComment(doc);
}

/** A ticket's thread, oldest first; without internal notes for the student app. */
export async function ticketComments(ctx: StudentContext, ticketId: string) {
  const filter: Record<string, unknown> = { ticketId: new Types.ObjectId(ticketId) };
  if (isPartner(ctx)) filter.internal = false;
  const docs = await ticketCommentModel(await ctx.tenantDb())
    .find(filter)
    .sort({ _id: 1 })
    .limit(500)
    .lean<TicketCommentDoc[]>();
  return docs.map(toTicketComment);
}
