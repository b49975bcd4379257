import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/**
 * Webhook deliveries already processed, by provider event id (platform DB). Only
 * a fast path for redeliveries: correctness comes from the unique gatewayPaymentKey,
 * so the marker is written AFTER processing (a crash in between means one more,
 * harmless, run — never a lost payment).
 */
export interface WebhookEventDoc {
  /** '<provider>:<event id>' */
  _id: string;
  createdAt: Date;
}

export const webhookEventSchema = new Schema<WebhookEventDoc>(
  { _id: { type: String, required: true } },
  { collection: 'payment_webhook_events', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const webhookEventModel = (platform: Connection) => modelOn(platform, 'PaymentWebhookEvent', webhookEventSchema);
