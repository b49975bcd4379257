import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

/** PAST_DUE: the period ended unpaid; the plan stays during the grace period (SAAS_GRACE_DAYS). */
export type SubscriptionStatusValue = 'ACTIVE' | 'TRIAL' | 'PAST_DUE' | 'CANCELLED' | 'EXPIRED';

/** What a subscription is at one version. */
export interface SubscriptionState {
  plan: string;
  cycle: string;
  status: SubscriptionStatusValue;
  trial: boolean;
  periodStart: Date;
  periodEnd: Date;
  /** What the current period was sold for (paise): the base of upgrade credits. */
  periodPrice: number;
  cancelAtPeriodEnd: boolean;
  pendingPlan?: string | null;
  pendingCycle?: string | null;
}

/** The tenant's one subscription document (`_id: 'current'`), changed only by applying a SubscriptionChange. */
export interface SubscriptionDoc extends SubscriptionState {
  _id: string;
  version: number;
}

/**
 * Every change of the subscription, inserted BEFORE it is applied. The unique
 * `baseVersion` lets exactly one change follow each version (a unique insert is
 * atomic on MongoDB and FerretDB alike); the unique `idempotencyKey` makes a
 * retried purchase find its first change and amount instead of paying twice.
 */
export interface SubscriptionChangeDoc {
  _id: Types.ObjectId;
  baseVersion: number;
  idempotencyKey?: string;
  /** The operation asked for (SUBSCRIBE, TRIAL, CHANGE, CANCEL, RENEW, EXPIRE, PAY): a replayed key must ask the same. */
  kind: string;
  /** What it turned out to be (e.g. UPGRADE, DOWNGRADE, CONVERT). */
  effect?: string;
  request: { plan?: string; cycle?: string; trial?: boolean };
  next: SubscriptionState;
  /** Paise to collect for this change. */
  amountDue: number;
  /** Paise credited from the unused part of the previous period. */
  credit: number;
  at: Date;
}

const stateFields = {
  plan: { type: String, required: true },
  cycle: { type: String, required: true },
  status: { type: String, required: true, enum: ['ACTIVE', 'TRIAL', 'PAST_DUE', 'CANCELLED', 'EXPIRED'] },
  trial: { type: Boolean, required: true },
  periodStart: { type: Date, required: true },
  periodEnd: { type: Date, required: true },
  periodPrice: { type: Number, required: true },
  cancelAtPeriodEnd: { type: Boolean, required: true },
  pendingPlan: String,
  pendingCycle: String,
};

export const subscriptionSchema = new Schema<SubscriptionDoc>(
  { _id: { type: String, required: true }, version: { type: Number, required: true }, ...stateFields },
  { collection: 'saas_subscription', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export const subscriptionChangeSchema = new Schema<SubscriptionChangeDoc>(
  {
    baseVersion: { type: Number, required: true },
    idempotencyKey: String,
    kind: { type: String, required: true },
    effect: String,
    request: { plan: String, cycle: String, trial: Boolean },
    next: { type: new Schema(stateFields, { _id: false }), required: true },
    amountDue: { type: Number, required: true, min: 0 },
    credit: { type: Number, required: true, min: 0 },
    at: { type: Date, required: true },
  },
  { collection: 'saas_subscription_changes', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
subscriptionChangeSchema.index({ baseVersion: 1 }, { unique: true });
subscriptionChangeSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });

export const SUBSCRIPTION_ID = 'current';
export const subscriptionModel = (conn: Connection) => modelOn(conn, 'SaasSubscription', subscriptionSchema);
export const subscriptionChangeModel = (conn: Connection) => modelOn(conn, 'SaasSubscriptionChange', subscriptionChangeSchema);
