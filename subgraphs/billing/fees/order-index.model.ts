import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { ProviderName } from '../providers/payment-gateway.provider';

/**
 * Platform-level lookup for webhooks, which carry no user token: the provider's
 * order id names the tenant and our order. Owned by billing.
 */
export interface OrderIndexDoc {
  /** '<provider>:<providerOrderId>' — unique by construction. */
  _id: string;
  provider: ProviderName;
  providerOrderId: string;
  tenantId: Types.ObjectId;
  orderId: Types.ObjectId;
  createdAt: Date;
}

export const orderIndexSchema = new Schema<OrderIndexDoc>(
  {
    _id: { type: String, required: true },
    provider: { type: String, required: true, enum: ['razorpay', 'cashfree'] },
    providerOrderId: { type: String, required: true },
    tenantId: { type: Schema.Types.ObjectId, required: true },
    orderId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'payment_order_index', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const orderIndexModel = (platform: Connection) => modelOn(platform, 'PaymentOrderIndex', orderIndexSchema);

export const orderIndexId = (provider: ProviderName, providerOrderId: string) => `${provider}:${providerOrderId}`;
