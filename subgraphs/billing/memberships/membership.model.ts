import { Schema, type Connection, type Types } from 'mongoose';
import type { ChainEntry } from '../../../core/store/append-chain';
import { mongoChainStore } from '../../../core/store/mongo-chain-store';
import { modelOn } from '../../../core/tenancy/db';
import type { ChargeSpec } from './dues.service';
import type { PlanTerms, SeatKind } from './plan.model';

export enum MembershipStatus {
  ACTIVE = 'ACTIVE',
  FROZEN = 'FROZEN',
  CANCELLED = 'CANCELLED',
  EXPIRED = 'EXPIRED',
}
/** Statuses of a membership that still runs (a student has at most one). */
export const RUNNING = [MembershipStatus.ACTIVE, MembershipStatus.FROZEN];

/** The terms a membership was sold on (a snapshot of its plan at the time), with the plan's name. */
export interface SoldTerms extends PlanTerms {
  planName: string;
}

export interface MembershipState {
  studentId: string;
  libraryId: string;
  planId: string;
  seatKind: SeatKind;
  shiftId?: string;
  status: MembershipStatus;
  terms: SoldTerms;
  /** First day of the membership. */
  startDate: string;
  /** 1 for the first period; +1 per renewal or plan change. */
  period: number;
  periodStart: string;
  /** Days the current period was sold for (freezes extend endDate, not this). */
  periodDays: number;
  /** Last day covered (inclusive). */
  endDate: string;
  /** False once cancelled without refund: the membership runs to endDate, then EXPIRED. */
  autoRenew: boolean;
  frozenUntil?: string;
  endedOn?: string;
}

export interface CreditSpec {
  id: string;
  amount: number;
  description: string;
  membershipId?: string;
}

/** One change of a membership (chain = the membership id) and its state after it; the dues it causes are in `charges`/`credits`. */
export interface MembershipEntryDoc extends ChainEntry<MembershipState> {
  op: string;
  at: Date;
  charges: ChargeSpec[];
  credits: CreditSpec[];
}

export const membershipEntrySchema = new Schema<MembershipEntryDoc>(
  {
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    op: { type: String, required: true },
    at: { type: Date, required: true },
    charges: { type: Schema.Types.Mixed, default: [] },
    credits: { type: Schema.Types.Mixed, default: [] },
    state: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'membership_entries', versionKey: false, strictQuery: 'throw', minimize: false },
);
membershipEntrySchema.index({ chain: 1, seq: 1 }, { unique: true });
membershipEntrySchema.index({ key: 1 }, { unique: true });

export const membershipEntryModel = (conn: Connection) => modelOn(conn, 'MembershipEntry', membershipEntrySchema);
export const membershipStore = (conn: Connection) => mongoChainStore<MembershipEntryDoc>(membershipEntryModel(conn));

/** The membership as read: a copy of its chain head (derived; the chain is the truth). */
export type MembershipDoc = MembershipState & { _id: Types.ObjectId; seq: number };

export const membershipSchema = new Schema<MembershipDoc>(
  {
    seq: { type: Number, required: true },
    studentId: { type: String, required: true },
    libraryId: { type: String, required: true },
    planId: { type: String, required: true },
    seatKind: { type: String, required: true },
    shiftId: String,
    status: { type: String, required: true, enum: Object.values(MembershipStatus) },
    terms: { type: Schema.Types.Mixed, required: true },
    startDate: { type: String, required: true },
    period: { type: Number, required: true },
    periodStart: { type: String, required: true },
    periodDays: { type: Number, required: true },
    endDate: { type: String, required: true },
    autoRenew: { type: Boolean, required: true },
    frozenUntil: String,
    endedOn: String,
  },
  { collection: 'memberships', versionKey: false, strictQuery: 'throw', minimize: false },
);
// Student.memberships, newest first.
membershipSchema.index({ studentId: 1, startDate: -1 });
// The fee cycle: running memberships whose period has ended.
membershipSchema.index({ status: 1, endDate: 1 });

export const membershipModel = (conn: Connection) => modelOn(conn, 'Membership', membershipSchema);

/**
 * One running membership per student, even for concurrent assignments with
 * different keys: each assignment first appends to the student's enrolment chain
 * (chain = student id), judged against its head: the membership the head names
 * must have ended. The entry also fixes the new membership's id, so a retry
 * after a crash creates that same membership.
 */
export interface EnrolmentDoc extends ChainEntry<{ membershipId: string }> {
  at: Date;
}

export const enrolmentSchema = new Schema<EnrolmentDoc>(
  {
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    key: { type: String, required: true },
    at: { type: Date, required: true },
    state: { type: Schema.Types.Mixed, required: true },
  },
  { collection: 'membership_enrolments', versionKey: false, strictQuery: 'throw', minimize: false },
);
enrolmentSchema.index({ chain: 1, seq: 1 }, { unique: true });
enrolmentSchema.index({ key: 1 }, { unique: true });

export const enrolmentStore = (conn: Connection) => mongoChainStore<EnrolmentDoc>(modelOn(conn, 'MembershipEnrolment', enrolmentSchema));

/**
 * A client's idempotency key on a renewal, bound once (unique _id
 * '<membership>:<key>') to the period it renews: a retry renews that same
 * period, even when a keyless request wrote the renewal first.
 */
export interface RenewalRequestDoc {
  _id: string;
  period: number;
  createdAt: Date;
}

export const renewalRequestSchema = new Schema<RenewalRequestDoc>(
  { _id: { type: String, required: true }, period: { type: Number, required: true } },
  { collection: 'membership_renewal_requests', versionKey: false, strictQuery: 'throw', timestamps: { createdAt: true, updatedAt: false } },
);

export const renewalRequestModel = (conn: Connection) => modelOn(conn, 'MembershipRenewalRequest', renewalRequestSchema);
