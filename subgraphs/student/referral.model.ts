import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';
import type { ReferralRewardType } from './settings.model';

export enum ReferralStatus {
  PENDING = 'pending',
  CONVERTED = 'converted',
}

const OPTS = { timestamps: true, versionKey: false, strictQuery: 'throw' } as const;

/** A student's share code; unique both ways, so concurrent issuance keeps one code per student. */
export interface ReferralCodeDoc {
  _id: Types.ObjectId;
  studentId: Types.ObjectId;
  code: string;
  createdAt: Date;
}
export const referralCodeSchema = new Schema<ReferralCodeDoc>(
  { studentId: { type: Schema.Types.ObjectId, required: true }, code: { type: String, required: true } },
  { collection: 'referral_codes', ...OPTS },
);
referralCodeSchema.index({ studentId: 1 }, { unique: true });
referralCodeSchema.index({ code: 1 }, { unique: true });

export interface ReferralDoc {
  _id: Types.ObjectId;
  referrerId: Types.ObjectId;
  /** Unique: a student is referred at most once. */
  refereeId: Types.ObjectId;
  code: string;
  status: ReferralStatus;
  convertedAt?: Date;
  paymentId?: string;
  /** Copy of the reward document, for listings. */
  reward?: { type: ReferralRewardType; amount: number };
  createdAt: Date;
}
export const referralSchema = new Schema<ReferralDoc>(
  {
    referrerId: { type: Schema.Types.ObjectId, required: true },
    refereeId: { type: Schema.Types.ObjectId, required: true },
    code: { type: String, required: true },
    status: { type: String, required: true },
    convertedAt: Date,
    paymentId: String,
    reward: { type: { type: String }, amount: Number },
  },
  { collection: 'referrals', ...OPTS },
);
referralSchema.index({ refereeId: 1 }, { unique: true });
referralSchema.index({ referrerId: 1, _id: -1 });
referralSchema.index({ status: 1 });

/** The reward of one conversion. Unique per referee: the same payment event twice gives one reward. */
export interface ReferralRewardDoc {
  _id: Types.ObjectId;
  referralId: Types.ObjectId;
  referrerId: Types.ObjectId;
  refereeId: Types.ObjectId;
  paymentId: string;
  type: ReferralRewardType;
  /** Paise. */
  amount: number;
  createdAt: Date;
}
export const referralRewardSchema = new Schema<ReferralRewardDoc>(
  {
    referralId: { type: Schema.Types.ObjectId, required: true },
    referrerId: { type: Schema.Types.ObjectId, required: true },
    refereeId: { type: Schema.Types.ObjectId, required: true },
    paymentId: { type: String, required: true },
    type: { type: String, required: true },
    amount: { type: Number, required: true },
  },
  { collection: 'referral_rewards', ...OPTS },
);
referralRewardSchema.index({ refereeId: 1 }, { unique: true });
referralRewardSchema.index({ referrerId: 1 });

export const referralCodeModel = (conn: Connection) => modelOn(conn, 'ReferralCode', referralCodeSchema);
export const referralModel = (conn: Connection) => modelOn(conn, 'Referral', referralSchema);
export const referralRewardModel = (conn: Connection) => modelOn(conn, 'ReferralReward', referralRewardSchema);
