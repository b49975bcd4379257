import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/**
 * Platform-level map from a provider's message id to the tenant and message,
 * written when a message is sent: delivery reports carry only the provider's id.
 */
export interface MessageIndexDoc {
  _id: Types.ObjectId;
  providerMessageId: string;
  provider: string;
  tenantId: string;
  messageId: Types.ObjectId;
  createdAt: Date;
}

export const messageIndexSchema = new Schema<MessageIndexDoc>(
  {
    providerMessageId: { type: String, required: true },
    provider: { type: String, required: true },
    tenantId: { type: String, required: true },
    messageId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'message_index', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// The webhook lookup; unique so one report can only ever reach one message.
messageIndexSchema.index({ providerMessageId: 1 }, { unique: true });

export const messageIndexModel = (platform: Connection) => modelOn(platform, 'MessageIndex', messageIndexSchema);
