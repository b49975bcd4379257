import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { InvoiceTaxDoc } from '../invoicing/invoice-tax.service';
import { PaymentMethod, PaymentStatus } from './payment.type';

export interface InvoiceDoc {
  number: string;
  issuedAt: Date;
  /** GST figures frozen at issue (absent on invoices issued before GST fields existed). */
  tax?: InvoiceTaxDoc;
}

export interface PaymentDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  amount: number;
  currency: string;
  method: string;
  status: string;
  reference?: string;
  idempotencyKey?: string;
  /** YYYY-MM of paidAt in Asia/Kolkata, stored so reports group without date operators. */
  month: string;
  paidAt: Date;
  /** Embedded so a payment and its invoice are one atomic write. */
  invoice: InvoiceDoc;
  /** Online payments: the gateway, its payment id and our order. */
  provider?: string;
  providerPaymentId?: string;
  /** '<provider>:<providerPaymentId>', unique: a payment the gateway reports many times is recorded once. */
  gatewayPaymentKey?: string;
  orderId?: Types.ObjectId;
  /**
   * Derived from the refund chain (refund.service.ts), which is the truth;
   * `refundSeq` is the chain position this copy reflects.
   */
  refundedAmount?: number;
  refundSeq?: number;
  createdAt: Date;
}

const invoiceTaxSchema = new Schema<InvoiceTaxDoc>(
  {
    sellerLegalName: String,
    sellerGstin: String,
    sellerAddress: String,
    sellerStateCode: String,
    placeOfSupply: String,
    hsnSac: { type: String, required: true },
    ratePercent: { type: Number, required: true },
    interState: { type: Boolean, required: true },
    taxableValue: { type: Number, required: true },
    cgst: { type: Number, required: true },
    sgst: { type: Number, required: true },
    igst: { type: Number, required: true },
  },
  { _id: false },
);

const invoiceSchema = new Schema<InvoiceDoc>(
  { number: { type: String, required: true }, issuedAt: { type: Date, required: true }, tax: invoiceTaxSchema },
  { _id: false },
);

export const paymentSchema = new Schema<PaymentDoc>(
  {
    studentId: { type: Schema.Types.ObjectId, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    amount: { type: Number, required: true, min: 1, validate: Number.isSafeInteger },
    currency: { type: String, required: true, default: 'INR' },
    method: { type: String, required: true, enum: Object.values(PaymentMethod) },
    status: { type: String, required: true, enum: Object.values(PaymentStatus), default: PaymentStatus.PAID },
    reference: String,
    idempotencyKey: String,
    month: { type: String, required: true },
    paidAt: { type: Date, required: true },
    invoice: { type: invoiceSchema, required: true },
    provider: { type: String, enum: ['razorpay', 'cashfree'] },
    providerPaymentId: String,
    gatewayPaymentKey: String,
    orderId: Schema.Types.ObjectId,
    refundedAmount: Number,
    refundSeq: Number,
  },
  { collection: 'payments', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Student.payments (batched, newest first) and payments(filter: { studentId }).
paymentSchema.index({ studentId: 1, paidAt: -1, _id: -1 });
// payments(filter: { libraryId, month? }).
paymentSchema.index({ libraryId: 1, month: 1, paidAt: -1 });
// payments(filter: { month }) and revenueSummary's month range.
paymentSchema.index({ month: 1, paidAt: -1 });
// payments() without a filter, newest first.
paymentSchema.index({ paidAt: -1, _id: -1 });
// A retried request finds its first payment; concurrent duplicates fail on insert.
paymentSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });
paymentSchema.index({ 'invoice.number': 1 }, { unique: true });
// Webhooks and checkout verification of the same gateway payment, in any order or concurrently: one payment.
paymentSchema.index({ gatewayPaymentKey: 1 }, { unique: true, sparse: true });

export const paymentModel = (conn: Connection) => modelOn(conn, 'Payment', paymentSchema);
