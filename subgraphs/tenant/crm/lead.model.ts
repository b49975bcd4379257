import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import { statusClaimSchema } from '../../../core/tenancy/status-claims';

/** Where a lead came from. */
export enum LeadSource {
  WEBSITE = 'website',
  REFERRAL = 'referral',
  CALL = 'call',
  WALK_IN = 'walk_in',
  EVENT = 'event',
  OTHER = 'other',
}

/** The pipeline: NEW → CONTACTED → DEMO → TRIAL → WON, or LOST from any open stage. */
export enum LeadStage {
  NEW = 'new',
  CONTACTED = 'contacted',
  DEMO = 'demo',
  TRIAL = 'trial',
  WON = 'won',
  LOST = 'lost',
}

/** A prospect of the platform's sales desk, in the PLATFORM database (never a tenant's). */
export interface LeadDoc {
  _id: Types.ObjectId;
  source: LeadSource;
  contactName: string;
  phone: string;
  email?: string | null;
  city: string;
  /** Lower-cased city: the filter matches it whatever the spelling's case. */
  cityKey: string;
  businessName: string;
  libraries: number;
  expectedSeats: number;
  /** The stage, named `status` for core/tenancy/status-claims.ts. */
  status: LeadStage;
  statusSeq: number;
  lostReason?: string | null;
  /** Platform user id of the salesperson who owns the lead. */
  ownerId: string;
  /** Who made the last stage move and when (the move's claim keeps the same, lead-history.service.ts). */
  stageBy?: string | null;
  stageAt?: Date | null;
  /** Every stage the lead has been in (the funnel's "reached"); written by the winner of each move only. */
  reached?: LeadStage[];
  /** The tenant this lead became (convertLead); absent until converted, unique when set. */
  tenantId?: string;
  convertedAt?: Date;
  convertedBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

export const leadSchema = new Schema<LeadDoc>(
  {
    source: { type: String, required: true },
    contactName: { type: String, required: true },
    phone: { type: String, required: true },
    email: { type: String, default: null },
    city: { type: String, required: true },
    cityKey: { type: String, required: true },
    businessName: { type: String, required: true },
    libraries: { type: Number, required: true },
    expectedSeats: { type: Number, required: true },
    status: { type: String, required: true },
    statusSeq: { type: Number, required: true, default: 0 },
    lostReason: { type: String, default: null },
    ownerId: { type: String, required: true },
    stageBy: { type: String, default: null },
    stageAt: { type: Date, default: null },
    reached: { type: [String], default: undefined },
    // No default: a sparse unique index skips documents without the field, not ones holding null.
    tenantId: { type: String },
    convertedAt: { type: Date },
    convertedBy: { type: String },
  },
  { collection: 'crm_leads', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
// Lists and the board: by stage, owner, source or city, newest first.
leadSchema.index({ status: 1, _id: -1 });
leadSchema.index({ ownerId: 1, _id: -1 });
leadSchema.index({ source: 1, _id: -1 });
leadSchema.index({ cityKey: 1, _id: -1 });
// One lead per tenant: a second lead can never claim a tenant already converted from another.
leadSchema.index({ tenantId: 1 }, { unique: true, sparse: true });

export const leadModel = (conn: Connection) => modelOn(conn, 'Lead', leadSchema);

/** One note of a lead: its own document, so concurrent notes are single inserts and none is lost. */
export interface LeadNoteDoc {
  _id: Types.ObjectId;
  leadId: Types.ObjectId;
  by: string;
  text: string;
  at: Date;
}

export const leadNoteSchema = new Schema<LeadNoteDoc>(
  {
    leadId: { type: Schema.Types.ObjectId, required: true },
    by: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'crm_lead_notes', versionKey: false, strictQuery: 'throw' },
);
leadNoteSchema.index({ leadId: 1, _id: 1 });

export const leadNoteModel = (conn: Connection) => modelOn(conn, 'LeadNote', leadNoteSchema);

/** Claims of stage moves (one winner per move of a lead, core/tenancy/status-claims.ts). */
export const leadStageClaimSchema = statusClaimSchema('crm_lead_stage_claims');
export const leadStageClaimModel = (conn: Connection) => modelOn(conn, 'LeadStageClaim', leadStageClaimSchema);
