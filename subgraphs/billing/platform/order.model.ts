import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { ProviderName } from '../providers/payment-gateway.provider';
import type { OrderRouting } from '../providers/order-flow.service';

export type PlatformOrderStatus = 'pending' | 'created' | 'paid' | 'failed';
export type PlatformOrderPurpose = 'SAAS_INVOICE' | 'CREDIT_PACKAGE';

/**
 * An order on the PLATFORM's merchant account: a tenant pays the platform (a SaaS
 * invoice or a credit package). Kept in the platform database, not the tenant's:
 * the platform admin reads every tenant's, webhooks find it by provider order id
 * without an index, and a suspended tenant's overdue order still settles.
 */
export interface PlatformOrderDoc {
  _id: Types.ObjectId;
  tenantId: string;
  purpose: PlatformOrderPurpose;
  /** The SaaS invoice or credit package paid for. */
  invoiceId?: Types.ObjectId;
  packageId?: string;
  amount: number;
  currency: string;
  /** `<tenantId>:<caller's key>`: retries return the first order. */
  idempotencyKey: string;
  status: PlatformOrderStatus;
  provider?: ProviderName;
  providerOrderId?: string;
  checkout?: { razorpayOrderId?: string; razorpayKeyId?: string; cashfreePaymentSessionId?: string };
  routing?: OrderRouting;
  /** The one capture (platform_payment_captures) that paid it. */
  capture?: { provider: ProviderName; providerPaymentId: string; amount: number; at: Date };
  /** Set once what was bought was delivered (invoice applied, credits added). */
  fulfilledAt?: Date;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

const attemptSchema = new Schema({ provider: String, ok: Boolean, error: String, durationMs: Number, fee: Number }, { _id: false });

export const platformOrderSchema = new Schema<PlatformOrderDoc>(
  {
    tenantId: { type: String, required: true },
    purpose: { type: String, required: true, enum: ['SAAS_INVOICE', 'CREDIT_PACKAGE'] },
    invoiceId: Schema.Types.ObjectId,
    packageId: String,
    amount: { type: Number, required: true, min: 100, validate: Number.isSafeInteger },
    currency: { type: String, required: true, default: 'INR' },
    idempotencyKey: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'created', 'paid', 'failed'] },
    provider: { type: String, enum: ['razorpay', 'cashfree'] },
    providerOrderId: String,
    checkout: { razorpayOrderId: String, razorpayKeyId: String, cashfreePaymentSessionId: String },
    routing: { chosen: String, reason: String, attempts: [attemptSchema] },
    capture: { provider: String, providerPaymentId: String, amount: Number, at: Date },
    fulfilledAt: Date,
    createdBy: String,
  },
  { collection: 'platform_payment_orders', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
platformOrderSchema.index({ idempotencyKey: 1 }, { unique: true });
platformOrderSchema.index({ providerOrderId: 1 });
platformOrderSchema.index({ tenantId: 1, createdAt: -1 });

export const platformOrderModel = (platform: Connection) => modelOn(platform, 'PlatformPaymentOrder', platformOrderSchema);

/**
 * One capture per order and per provider payment: `_id` is the order id, so a
 * webhook replay, a verify racing the webhook, or a second payment attempt of the
 * same order all find the first capture (duplicate key) instead of paying twice.
 */
export interface PlatformCaptureDoc {
  _id: Types.ObjectId;
  gatewayPaymentKey: string;
  tenantId: string;
  amount: number;
  /** When the platform received the money (the billing clock). */
  at: Date;
  createdAt: Date;
}

export const platformCaptureSchema = new Schema<PlatformCaptureDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    gatewayPaymentKey: { type: String, required: true, unique: true },
    tenantId: { type: String, required: true },
    amount: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'platform_payment_captures', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const platformCaptureModel = (platform: Connection) => modelOn(platform, 'PlatformPaymentCapture', platformCaptureSchema);
