import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { Channel } from './channel.type';

/**
 * Tenant chains: allocation/package (+, drawn from the master wallet), message (-), refund (+).
 * Master chains (platform DB): purchase (+, from a vendor), allocation/package (-, to a tenant),
 * reversal (+, gives back a transfer whose tenant half can never happen).
 */
export type LedgerReason = 'allocation' | 'package' | 'message' | 'refund' | 'purchase' | 'reversal';
export type LedgerStatus = 'applied' | 'rejected';
export const LEDGER_REASONS: LedgerReason[] = ['allocation', 'package', 'message', 'refund', 'purchase', 'reversal'];

export interface LedgerDoc {
  /** '<channel>:<seq>' for applied entries (the chain), 'rejected:<objectid>' for rejected ones. */
  _id: string;
  /** Idempotency key: 'allocation:<key>', 'debit:<reference>', 'refund:<reference>'. */
  key: string;
  channel: Channel;
  /** Position in the channel's chain (applied entries only): 1, 2, 3... without gaps. */
  seq?: number;
  delta: number;
  /** Applied: the balance after this entry. Rejected: the balance that was too low. */
  balanceAfter: number;
  reason: LedgerReason;
  reference: string;
  note?: string;
  status: LedgerStatus;
  /** Who asked for the movement (user id from the token), for audit. */
  createdBy?: string;
  /** What the movement is for, compared on a retry: tenant id (master), vendor id, package id. */
  target?: string;
  /** Asia/Kolkata day 'YYYY-MM-DD' and month 'YYYY-MM' of the write (usage and profit reports). */
  day?: string;
  month?: string;
  /** Debits: this one took the balance from >= the tenant's threshold to below it. */
  lowCrossed?: boolean;
  /** Master chain: tenant price of a sale (negative on a reversal). */
  revenuePaise?: number;
  /** Master chain: vendor cost of a purchase, cost of goods of a sale (negative on a reversal). */
  costPaise?: number;
  /** Master chain: value at cost of the credits left after this entry (weighted average cost). */
  inventoryPaise?: number;
  createdAt: Date;
  updatedAt: Date;
}

const makeLedgerSchema = (collection: string) => {
  const schema = new Schema<LedgerDoc>(
    {
      _id: { type: String, required: true },
      key: { type: String, required: true },
      channel: { type: String, required: true, enum: ['sms', 'whatsapp', 'email'] },
      seq: Number,
      delta: { type: Number, required: true },
      balanceAfter: { type: Number, required: true },
      reason: { type: String, required: true, enum: LEDGER_REASONS },
      reference: { type: String, required: true },
      note: String,
      status: { type: String, required: true, enum: ['applied', 'rejected'] },
      createdBy: String,
      target: String,
      day: String,
      month: String,
      lowCrossed: Boolean,
      revenuePaise: Number,
      costPaise: Number,
      inventoryPaise: Number,
    },
    { collection, timestamps: true, versionKey: false, strictQuery: 'throw' },
  );
  // With the _id ('<channel>:<seq>'), this unique index is what makes movements exact and idempotent.
  schema.index({ key: 1 }, { unique: true });
  // Usage (tenant) and profit (master) reports; vendor purchase history.
  schema.index({ day: 1, channel: 1 });
  schema.index({ month: 1, channel: 1 });
  schema.index({ reason: 1, createdAt: -1 });
  return schema;
};

export const ledgerSchema = makeLedgerSchema('credit_ledger');
/** The platform master wallet's chains (platform database), same design as a tenant's. */
export const masterLedgerSchema = makeLedgerSchema('credit_master_ledger');

export const ledgerModel = (conn: Connection) => modelOn(conn, 'CreditLedgerEntry', ledgerSchema);
export const masterLedgerModel = (platform: Connection) => modelOn(platform, 'CreditMasterLedgerEntry', masterLedgerSchema);
