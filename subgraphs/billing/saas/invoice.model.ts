import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

export type SaasInvoiceStatus = 'OPEN' | 'PAID' | 'VOID';

/**
 * A SaaS invoice of the platform to a tenant, in the PLATFORM database (the
 * platform's own books: admins read every tenant's, the billing cycle scans one
 * collection, a suspended tenant's overdue invoice stays readable and payable).
 *
 * Uniqueness does the concurrency work (no transactions on FerretDB):
 *  - (tenantId, key): 'change:<idempotencyKey>' or 'renewal:<periodEnd ISO>' — a
 *    retried request or a second billing-cycle run finds the first invoice;
 *  - (tenantId, slot): 'change:v<version>' while a change invoice is OPEN — one
 *    unpaid plan change per subscription version; freed ('done:<id>') when paid or voided;
 *  - number: GST numbering never issues a number twice.
 */
export interface SaasInvoiceDoc {
  _id: Types.ObjectId;
  tenantId: string;
  number: string;
  key: string;
  slot: string;
  /** SUBSCRIBE, CONVERT, UPGRADE, RENEW (after the subscription ended), RENEWAL (the next period). */
  kind: string;
  plan: string;
  cycle: string;
  /** Paise, GST included. */
  amount: number;
  /** Paise credited for the unused days of the previous plan (upgrades). */
  credit: number;
  taxableValue: number;
  tax: number;
  status: SaasInvoiceStatus;
  /** The change asked for, compared on a replayed key. */
  request: { kind: string; plan?: string; cycle?: string; trial?: boolean };
  /** RENEWAL: the period it pays for starts here (the current period's end). */
  periodStart?: Date;
  issuedAt: Date;
  dueAt: Date;
  paidAt?: Date;
  orderId?: Types.ObjectId;
  createdBy?: string;
  createdAt: Date;
}

export const saasInvoiceSchema = new Schema<SaasInvoiceDoc>(
  {
    tenantId: { type: String, required: true },
    number: { type: String, required: true, unique: true },
    key: { type: String, required: true },
    slot: { type: String, required: true },
    kind: { type: String, required: true },
    plan: { type: String, required: true },
    cycle: { type: String, required: true },
    amount: { type: Number, required: true, min: 1 },
    credit: { type: Number, required: true, min: 0 },
    taxableValue: { type: Number, required: true },
    tax: { type: Number, required: true },
    status: { type: String, required: true, enum: ['OPEN', 'PAID', 'VOID'] },
    request: { kind: String, plan: String, cycle: String, trial: Boolean },
    periodStart: Date,
    issuedAt: { type: Date, required: true },
    dueAt: { type: Date, required: true },
    paidAt: Date,
    orderId: Schema.Types.ObjectId,
    createdBy: String,
  },
  { collection: 'saas_invoices', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
saasInvoiceSchema.index({ tenantId: 1, key: 1 }, { unique: true });
saasInvoiceSchema.index({ tenantId: 1, slot: 1 }, { unique: true });
saasInvoiceSchema.index({ status: 1, dueAt: 1 });

export const saasInvoiceModel = (platform: Connection) => modelOn(platform, 'SaasInvoice', saasInvoiceSchema);

/**
 * Steps of the dunning of one invoice, each inserted once (`_id` '<invoiceId>:<step>'):
 * REMINDER_ISSUED, REMINDER_OVERDUE, SUSPEND, REACTIVATE. Two cycle runs at once
 * insert it once, so one reminder per step and one suspension.
 */
export interface SaasDunningDoc {
  _id: string;
  tenantId: string;
  invoiceId: Types.ObjectId;
  step: string;
  createdAt: Date;
}

export const saasDunningSchema = new Schema<SaasDunningDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    invoiceId: { type: Schema.Types.ObjectId, required: true },
    step: { type: String, required: true },
  },
  { collection: 'saas_dunning', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
saasDunningSchema.index({ tenantId: 1 });

export const saasDunningModel = (platform: Connection) => modelOn(platform, 'SaasDunning', saasDunningSchema);
