import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { ChainEntry } from '../../../core/store/append-chain';
import { mongoChainStore } from '../../../core/store/mongo-chain-store';
import { ChargeKind, type Allocation, type DuesState } from './dues-ledger.service';

/** PLAN: a membership that charged nothing (a free plan) moved the ledger to its library and plan; amount 0. */
export type DuesOp = 'CHARGE' | 'PAYMENT' | 'CREDIT' | 'REFUND' | 'DEPOSIT_RELEASE' | 'PLAN';

/** A charge as listed on the student (credits are ADJUSTMENTs with a negative amount). */
export interface ChargeDoc {
  id: string;
  kind: ChargeKind;
  amount: number;
  dueDate: string;
  description: string;
  membershipId?: string;
}

/**
 * One link of a student's dues chain (chain = the student id): what happened
 * (op, charge, payment, allocations) and the full state after it.
 */
export interface DuesEntryDoc extends ChainEntry<DuesState> {
  op: DuesOp;
  at: Date;
  amount: number;
  charge?: ChargeDoc;
  paymentId?: string;
  allocations: Allocation[];
  /**
   * Analytics facts stamped when the entry is written (collections and revenue reports,
   * analytics/money-rollup.service.ts): the Asia/Kolkata day and month of the write, the
   * library, dues billed by it (charges, minus credits; deposits and re-owed refunds are
   * not billing), the change of amountDue it made, and for payments and refunds the
   * method and the fee plan of the student's membership (the state's planId). Absent on entries written
   * before analytics existed.
   */
  day?: string;
  month?: string;
  libraryId?: string;
  billed?: number;
  dueDelta?: number;
  method?: string;
  planId?: string;
  /** The facts above were given by migration 008 (analytics/money-backfill.service.ts), dated by `at`. */
  backfilled?: boolean;
}

const allocationSchema = new Schema<Allocation>({ chargeId: String, amount: Number, source: String }, { _id: false });
const chargeSchema = new Schema<ChargeDoc>(
  { id: String, kind: { type: String, enum: Object.values(ChargeKind) }, amount: Number, dueDate: String, description: String, membershipId: String },
  { _id: false },
);

export const duesEntrySchema = new Schema<DuesEntryDoc>(
  {
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    op: { type: String, required: true, enum: ['CHARGE', 'PAYMENT', 'CREDIT', 'REFUND', 'DEPOSIT_RELEASE', 'PLAN'] },
    at: { type: Date, required: true },
    amount: { type: Number, required: true, validate: Number.isSafeInteger },
    charge: chargeSchema,
    paymentId: String,
    allocations: [allocationSchema],
    state: { type: Schema.Types.Mixed, required: true },
    day: String,
    month: String,
    libraryId: String,
    billed: Number,
    dueDelta: Number,
    method: String,
    planId: String,
    backfilled: Boolean,
  },
  { collection: 'dues_entries', versionKey: false, strictQuery: 'throw', minimize: false },
);
// One writer per position of a student's chain; one entry per charge, payment, credit or refund.
duesEntrySchema.index({ chain: 1, seq: 1 }, { unique: true });
duesEntrySchema.index({ key: 1 }, { unique: true });
// Collections and revenue analytics: the facts of a day (closed days are rolled up once).
duesEntrySchema.index({ day: 1 });

export const duesEntryModel = (conn: Connection) => modelOn(conn, 'DuesEntry', duesEntrySchema);
export const duesStore = (conn: Connection) => mongoChainStore<DuesEntryDoc>(duesEntryModel(conn));

/** Per-student copy of the chain head, so pendingDues is one indexed read (derived; the chain is the truth). */
export interface DuesSummaryDoc {
  _id: Types.ObjectId;
  libraryId?: Types.ObjectId;
  seq: number;
  amountDue: number;
  depositDue: number;
  advanceCredit: number;
  depositHeld: number;
  /** Due date of the oldest unpaid dues charge. */
  oldestDueDate?: string;
  lastPaidAt?: Date;
}

export const duesSummarySchema = new Schema<DuesSummaryDoc>(
  {
    libraryId: Schema.Types.ObjectId,
    seq: { type: Number, required: true },
    amountDue: { type: Number, required: true },
    depositDue: { type: Number, required: true },
    advanceCredit: { type: Number, required: true },
    depositHeld: { type: Number, required: true },
    oldestDueDate: String,
    lastPaidAt: Date,
  },
  { collection: 'dues_summaries', versionKey: false, strictQuery: 'throw' },
);
// pendingDues: biggest amounts first, per library or all.
duesSummarySchema.index({ amountDue: -1, _id: 1 });
duesSummarySchema.index({ libraryId: 1, amountDue: -1, _id: 1 });

export const duesSummaryModel = (conn: Connection) => modelOn(conn, 'DuesSummary', duesSummarySchema);
