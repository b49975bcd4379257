import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface BulkSendDoc {
  _id: Types.ObjectId;
  channel: string;
  templateId: Types.ObjectId;
  variables: { name: string; value: string }[];
  filter: { libraryId?: string; status?: string; duesOlderThanDays?: number };
  idempotencyKey: string;
  status: string;
  total: number;
  sent: number;
  failed: number;
  insufficientCredit: number;
  error?: string;
  createdBy?: string;
  createdAt: Date;
}

export const bulkSendSchema = new Schema<BulkSendDoc>(
  {
    channel: { type: String, required: true },
    templateId: { type: Schema.Types.ObjectId, required: true },
    variables: { type: [{ _id: false, name: String, value: String }], default: [] },
    filter: { libraryId: String, status: String, duesOlderThanDays: Number },
    idempotencyKey: { type: String, required: true },
    status: { type: String, required: true },
    total: { type: Number, required: true, default: 0 },
    sent: { type: Number, required: true, default: 0 },
    failed: { type: Number, required: true, default: 0 },
    insufficientCredit: { type: Number, required: true, default: 0 },
    error: String,
    createdBy: String,
  },
  { collection: 'bulk_sends', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// A retried mutation finds its job instead of sending twice.
bulkSendSchema.index({ idempotencyKey: 1 }, { unique: true });

export interface BulkRecipientDoc {
  _id: Types.ObjectId;
  bulkId: Types.ObjectId;
  studentId: Types.ObjectId;
  status: string;
  error?: string;
  messageId?: Types.ObjectId;
}

export const bulkRecipientSchema = new Schema<BulkRecipientDoc>(
  {
    bulkId: { type: Schema.Types.ObjectId, required: true },
    studentId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, required: true },
    error: String,
    messageId: Schema.Types.ObjectId,
  },
  { collection: 'bulk_recipients', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// One row per student per job; also backs `recipients` in listing order.
bulkRecipientSchema.index({ bulkId: 1, studentId: 1 }, { unique: true });
bulkRecipientSchema.index({ bulkId: 1, _id: 1 });

export const bulkSendModel = (conn: Connection) => modelOn(conn, 'BulkSend', bulkSendSchema);
export const bulkRecipientModel = (conn: Connection) => modelOn(conn, 'BulkRecipient', bulkRecipientSchema);
