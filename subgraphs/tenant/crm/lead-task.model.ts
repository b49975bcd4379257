import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import { statusClaimSchema } from '../../../core/tenancy/status-claims';

export enum LeadTaskStatus {
  OPEN = 'open',
  DONE = 'done',
}

/** A follow-up on a lead (call back, demo) due at a time, for a platform user. */
export interface LeadTaskDoc {
  _id: Types.ObjectId;
  leadId: Types.ObjectId;
  title: string;
  dueAt: Date;
  assigneeId: string;
  createdBy: string;
  status: LeadTaskStatus;
  statusSeq: number;
  doneAt?: Date | null;
  doneBy?: string | null;
  /** When its one due reminder was sent (or given up: the assignee left); null until then. */
  remindedAt?: Date | null;
  createdAt: Date;
}

export const leadTaskSchema = new Schema<LeadTaskDoc>(
  {
    leadId: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    dueAt: { type: Date, required: true },
    assigneeId: { type: String, required: true },
    createdBy: { type: String, required: true },
    status: { type: String, required: true },
    statusSeq: { type: Number, required: true, default: 0 },
    doneAt: { type: Date, default: null },
    doneBy: { type: String, default: null },
    remindedAt: { type: Date, default: null },
  },
  { collection: 'crm_lead_tasks', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
// Due lists (all, or one assignee's) and a lead's tasks.
leadTaskSchema.index({ status: 1, dueAt: 1 });
leadTaskSchema.index({ assigneeId: 1, status: 1, dueAt: 1 });
leadTaskSchema.index({ leadId: 1, dueAt: 1 });
// The reminder sweep: open, due, not reminded yet.
leadTaskSchema.index({ status: 1, remindedAt: 1, dueAt: 1 });

export const leadTaskModel = (conn: Connection) => modelOn(conn, 'LeadTask', leadTaskSchema);

/** Claims of completions (a task is completed once, core/tenancy/status-claims.ts). */
export const leadTaskClaimSchema = statusClaimSchema('crm_lead_task_claims');
export const leadTaskClaimModel = (conn: Connection) => modelOn(conn, 'LeadTaskClaim', leadTaskClaimSchema);

/**
 * The one reminder of a task: `_id` is the task's id, so of any number of sweeps (two
 * instances, a run-now during a timer run) exactly one insert wins and that one sends.
 * `sentAt` is set once the mail left; `skipped` says why none was sent (assignee inactive).
 */
export interface LeadTaskReminderDoc {
  _id: string;
  assigneeId: string;
  claimedAt: Date;
  sentAt?: Date | null;
  skipped?: string | null;
}

export const leadTaskReminderSchema = new Schema<LeadTaskReminderDoc>(
  {
    _id: { type: String, required: true },
    assigneeId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    skipped: { type: String, default: null },
  },
  { collection: 'crm_lead_task_reminders', versionKey: false, strictQuery: 'throw' },
);

export const leadTaskReminderModel = (conn: Connection) => modelOn(conn, 'LeadTaskReminder', leadTaskReminderSchema);
