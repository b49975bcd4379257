import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import { statusClaimSchema } from '../../../core/tenancy/status-claims';

export enum TicketCategory {
  FACILITY = 'facility',
  SERVICE = 'service',
  BILLING = 'billing',
  TECHNICAL = 'technical',
  NOISE = 'noise',
  SEAT = 'seat',
}

export enum TicketPriority {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  CRITICAL = 'critical',
}

export enum TicketStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  RESOLVED = 'resolved',
  CLOSED = 'closed',
}

/** The two SLA clocks of a ticket. */
export enum TicketSlaKind {
  FIRST_RESPONSE = 'first_response',
  RESOLUTION = 'resolution',
}

/** Who raised a ticket or wrote a comment: a staff user, or the library's student app (a partner key). */
export interface TicketActor {
  kind: 'staff' | 'partner';
  id: string;
}

export interface TicketDoc {
  _id: Types.ObjectId;
  /** Per-tenant sequence number (TKT-000123 is its display form), unique. */
  number: number;
  libraryId: Types.ObjectId;
  studentId?: Types.ObjectId | null;
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  /** Status moves taken so far (core/tenancy/status-claims.ts serialises them). */
  statusSeq: number;
  assignedTo?: string | null;
  resolution?: string | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  reopenCount: number;
  /** First public comment or status move by staff. */
  firstResponseAt?: Date | null;
  /** Due dates stamped at creation from the tenant's targets (wall clock). */
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  /** SLA clocks already found breached (the breach records are unique: ticket-sla.model.ts). */
  breaches: TicketSlaKind[];
  /** File ids from object storage (not checked yet: storage is built separately). */
  attachments: string[];
  raisedBy: TicketActor;
  createdAt: Date;
  updatedAt: Date;
}

const actorSchema = new Schema<TicketActor>({ kind: { type: String, required: true }, id: { type: String, required: true } }, { _id: false });

export const ticketSchema = new Schema<TicketDoc>(
  {
    number: { type: Number, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    studentId: { type: Schema.Types.ObjectId, default: null },
    title: { type: String, required: true },
    description: { type: String, required: true },
    category: { type: String, required: true },
    priority: { type: String, required: true },
    status: { type: String, required: true },
    statusSeq: { type: Number, required: true, default: 0 },
    assignedTo: { type: String, default: null },
    resolution: { type: String, default: null },
    resolvedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    reopenCount: { type: Number, required: true, default: 0 },
    firstResponseAt: { type: Date, default: null },
    firstResponseDueAt: { type: Date, required: true },
    resolutionDueAt: { type: Date, required: true },
    breaches: { type: [String], default: [] },
    attachments: { type: [String], default: [] },
    raisedBy: { type: actorSchema, required: true },
  },
  { collection: 'tickets', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
ticketSchema.index({ number: 1 }, { unique: true });
// Lists: per library (branch scope) and status, newest first; a student's tickets.
ticketSchema.index({ libraryId: 1, status: 1, _id: -1 });
ticketSchema.index({ status: 1, _id: -1 });
ticketSchema.index({ studentId: 1, _id: -1 });
ticketSchema.index({ assignedTo: 1, status: 1, _id: -1 });
// The SLA check: open clocks past due.
ticketSchema.index({ status: 1, resolutionDueAt: 1 });
ticketSchema.index({ firstResponseAt: 1, firstResponseDueAt: 1 });
// Mean resolution time over a range of resolution dates.
ticketSchema.index({ resolvedAt: 1, libraryId: 1 });

/** The display form of a ticket number: TKT-000123. */
export const formatTicketNumber = (n: number) => `TKT-${String(n).padStart(6, '0')}`;

export const ticketModel = (conn: Connection) => modelOn(conn, 'Ticket', ticketSchema);

/** One document per tenant (`_id: 'ticket'`), taken with a single atomic `$inc` upsert. */
export interface TicketCounterDoc {
  _id: string;
  seq: number;
}
export const ticketCounterSchema = new Schema<TicketCounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true } },
  { collection: 'ticket_counters', timestamps: true, versionKey: false, strictQuery: 'throw' },
);
export const ticketCounterModel = (conn: Connection) => modelOn(conn, 'TicketCounter', ticketCounterSchema);

/** Claims of status moves (one winner per move of a ticket, core/tenancy/status-claims.ts). */
export const ticketStatusClaimSchema = statusClaimSchema('ticket_status_claims');
export const ticketStatusClaimModel = (conn: Connection) => modelOn(conn, 'TicketStatusClaim', ticketStatusClaimSchema);
