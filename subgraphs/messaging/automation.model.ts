import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** One automation's switch: channel null = automatic (first channel with credits, see automation-send.service.ts). */
export interface RuleDoc {
  enabled: boolean;
  channel?: string | null;
  templateId?: Types.ObjectId | null;
}

export interface DuesRuleDoc extends RuleDoc {
  /** A student is due when their oldest unpaid charge (billing's dues ledger) is more than this many days past due. */
  afterDays: number;
  /** Remind again every this many days while still due; 0 = once per unpaid period. */
  repeatEveryDays: number;
}

export interface AutomationSettingsDoc {
  _id: string;
  welcome: RuleDoc;
  receipt: RuleDoc;
  dues: DuesRuleDoc;
  /** The monthly pack e-mail to the owner (monthly-pack/); absent = on. */
  monthlyPack?: boolean;
  updatedBy?: string;
  updatedAt?: Date;
}

const rule = { enabled: { type: Boolean, required: true }, channel: String, templateId: Schema.Types.ObjectId };

/** The tenant's one settings document (`_id: 'automation'`); missing = the service's defaults. */
export const automationSettingsSchema = new Schema<AutomationSettingsDoc>(
  {
    _id: { type: String, required: true },
    welcome: { ...rule },
    receipt: { ...rule },
    dues: { ...rule, afterDays: { type: Number, required: true }, repeatEveryDays: { type: Number, required: true } },
    monthlyPack: Boolean,
    updatedBy: String,
  },
  { collection: 'automation_settings', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

export type AutomationKind = 'welcome' | 'receipt' | 'dues';

/**
 * One row per automated message, claimed before anything is sent: the unique
 * `key` (welcome:<studentId>, receipt:<paymentId>, dues:<studentId>:<period>)
 * makes a redelivered event, a second instance or a second run send nothing.
 */
export interface AutomationSendDoc {
  _id: Types.ObjectId;
  key: string;
  kind: AutomationKind;
  studentId: Types.ObjectId;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  reason?: string;
  messageId?: Types.ObjectId;
  /** Set just before the provider is called: a pending claim without it never reached the provider (safe to resume). */
  sendingAt?: Date;
  createdAt: Date;
}

export const automationSendSchema = new Schema<AutomationSendDoc>(
  {
    key: { type: String, required: true },
    kind: { type: String, required: true },
    studentId: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, required: true },
    reason: String,
    messageId: Schema.Types.ObjectId,
    sendingAt: Date,
  },
  { collection: 'automation_sends', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
automationSendSchema.index({ key: 1 }, { unique: true });

export const automationSettingsModel = (conn: Connection) => modelOn(conn, 'AutomationSettings', automationSettingsSchema);
export const automationSendModel = (conn: Connection) => modelOn(conn, 'AutomationSend', automationSendSchema);
