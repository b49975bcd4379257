import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { TicketActor } from './ticket.model';

export interface TicketCommentDoc {
  _id: Types.ObjectId;
  ticketId: Types.ObjectId;
  body: string;
  /** Internal notes are for staff only: never shown to the student app (partner keys). */
  internal: boolean;
  author: TicketActor;
  attachments: string[];
  createdAt: Date;
}

export const ticketCommentSchema = new Schema<TicketCommentDoc>(
  {
    ticketId: { type: Schema.Types.ObjectId, required: true },
    body: { type: String, required: true },
    internal: { type: Boolean, required: true, default: false },
    author: { type: new Schema({ kind: { type: String, required: true }, id: { type: String, required: true } }, { _id: false }), required: true },
    attachments: { type: [String], default: [] },
  },
  { collection: 'ticket_comments', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
// A ticket's thread, oldest first.
ticketCommentSchema.index({ ticketId: 1, _id: 1 });

export const ticketCommentModel = (conn: Connection) => modelOn(conn, 'TicketComment', ticketCommentSchema);
