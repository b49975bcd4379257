import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import { FeeDuration } from './period.service';

export enum SeatKind {
  RESERVED = 'RESERVED',
  ANY = 'ANY',
}

/** The money terms of a plan: frozen on it, and copied onto every membership sold on it. */
export interface PlanTerms {
  duration: FeeDuration;
  /** Only for DAYS. */
  durationDays?: number;
  /** Paise per period. */
  price: number;
  seatKind: SeatKind;
  shiftId?: string;
  /** Paise, charged once at assignment, held apart from dues. */
  securityDeposit: number;
  gstApplicable: boolean;
  /** Paise added once per charge still unpaid after graceDays. */
  lateFee?: number;
  graceDays: number;
}

export interface FeePlanDoc extends PlanTerms {
  _id: Types.ObjectId;
  libraryId: Types.ObjectId;
  name: string;
  description?: string;
  retiredAt?: Date;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const feePlanSchema = new Schema<FeePlanDoc>(
  {
    libraryId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    description: String,
    duration: { type: String, required: true, enum: Object.values(FeeDuration) },
    durationDays: Number,
    price: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    seatKind: { type: String, required: true, enum: Object.values(SeatKind) },
    shiftId: String,
    securityDeposit: { type: Number, required: true, min: 0, validate: Number.isSafeInteger },
    gstApplicable: { type: Boolean, required: true },
    lateFee: Number,
    graceDays: { type: Number, required: true, min: 0 },
    retiredAt: Date,
    createdBy: String,
  },
  { collection: 'fee_plans', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// feePlans(libraryId): a library's plans by name.
feePlanSchema.index({ libraryId: 1, name: 1 });

export const feePlanModel = (conn: Connection) => modelOn(conn, 'FeePlan', feePlanSchema);
