import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { ProviderName } from '../providers/payment-gateway.provider';
import type { RoutingAttempt, RoutingReason } from '../providers/routing.service';

/** pending: our record exists, the provider is being asked; created: checkout can start. */
export type OrderStatus = 'pending' | 'created' | 'paid' | 'failed';

export interface PaymentOrderDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  amount: number;
  currency: string;
  purpose?: string;
  idempotencyKey: string;
  status: OrderStatus;
  provider?: ProviderName;
  providerOrderId?: string;
  checkout?: { razorpayOrderId?: string; razorpayKeyId?: string; cashfreePaymentSessionId?: string };
  routing?: { chosen?: ProviderName; reason: RoutingReason; attempts: RoutingAttempt[] };
  paymentId?: Types.ObjectId;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

const attemptSchema = new Schema<RoutingAttempt>({ provider: String, ok: Boolean, error: String, durationMs: Number, fee: Number }, { _id: false });

export const paymentOrderSchema = new Schema<PaymentOrderDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    amount: { type: Number, required: true, min: 1, validate: Number.isSafeInteger },
    currency: { type: String, required: true, default: 'INR' },
    purpose: String,
    idempotencyKey: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'created', 'paid', 'failed'] },
    provider: { type: String, enum: ['razorpay', 'cashfree'] },
    providerOrderId: String,
    checkout: { razorpayOrderId: String, razorpayKeyId: String, cashfreePaymentSessionId: String },
    routing: { chosen: String, reason: String, attempts: [attemptSchema] },
    paymentId: Schema.Types.ObjectId,
    createdBy: String,
  },
  { collection: 'payment_orders', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// A retried createPaymentOrder returns the first order; concurrent twins collide on insert.
paymentOrderSchema.index({ idempotencyKey: 1 }, { unique: true });

export const paymentOrderModel = (conn: Connection) => modelOn(conn, 'PaymentOrder', paymentOrderSchema);
