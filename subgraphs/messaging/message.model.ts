import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface MessageDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  channel: string;
  body: string;
  status: string;
  creditsUsed: number;
  provider: string;
  providerId?: string;
  /** The credits ledger entry that paid for it (its reference is this message's id). */
  debitEntryId?: string;
  templateId?: Types.ObjectId;
  sentBy?: string;
  /** When the last delivery report moved the status. */
  statusAt?: Date;
  /** Why a message was not sent (status failed), e.g. INSUFFICIENT_BALANCE. */
  failureReason?: string;
  /** The automation that sent it (welcome, receipt, dues); absent for messages sent by staff. */
  automation?: string;
  createdAt: Date;
}

export const messageSchema = new Schema<MessageDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true },
    creditsUsed: { type: Number, required: true },
    provider: { type: String, required: true },
    providerId: String,
    debitEntryId: String,
    templateId: Schema.Types.ObjectId,
    sentBy: String,
    statusAt: Date,
    failureReason: String,
    automation: String,
  },
  { collection: 'messages', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Student.messages / messages(studentId) newest first; messageCount's $match.
messageSchema.index({ studentId: 1, createdAt: -1, _id: -1 });
// messages() without a student, newest first.
messageSchema.index({ createdAt: -1, _id: -1 });

export const messageModel = (conn: Connection) => modelOn(conn, 'Message', messageSchema);
