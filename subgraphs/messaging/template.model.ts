import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

export interface TemplateDoc {
  _id: Types.ObjectId;
  name: string;
  channel: string;
  body: string;
  variables: string[];
  status: string;
  dltEntityId?: string;
  dltTemplateId?: string;
  senderId?: string;
  whatsappName?: string;
  language?: string;
  rejectionReason?: string;
  reviewedBy?: string;
  /** Review decisions so far (core/tenancy/status-claims.ts). */
  statusSeq?: number;
  createdAt: Date;
}

export const templateSchema = new Schema<TemplateDoc>(
  {
    name: { type: String, required: true },
    channel: { type: String, required: true },
    body: { type: String, required: true },
    variables: { type: [String], required: true, default: [] },
    status: { type: String, required: true, default: 'approved' },
    dltEntityId: String,
    dltTemplateId: String,
    senderId: String,
    whatsappName: String,
    language: String,
    rejectionReason: String,
    reviewedBy: String,
    statusSeq: { type: Number, default: 0 },
  },
  { collection: 'templates', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// One name per channel; also backs `templates(channel)` sorted by name.
templateSchema.index({ channel: 1, name: 1 }, { unique: true });
templateSchema.index({ name: 1 });

export const templateModel = (conn: Connection) => modelOn(conn, 'Template', templateSchema);
