import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';
import type { TicketPriority, TicketSlaKind } from './ticket.model';

/** One SLA clock found past due: `_id` `<ticketId>:<kind>` is unique, so a breach is recorded once however often the check runs. */
export interface TicketSlaBreachDoc {
  _id: string;
  ticketId: Types.ObjectId;
  /** The ticket's number (for listings without a second read). */
  number: number;
  libraryId: Types.ObjectId;
  kind: TicketSlaKind;
  priority: TicketPriority;
  dueAt: Date;
  detectedAt: Date;
}

export const ticketSlaBreachSchema = new Schema<TicketSlaBreachDoc>(
  {
    _id: { type: String, required: true },
    ticketId: { type: Schema.Types.ObjectId, required: true },
    number: { type: Number, required: true },
    libraryId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    priority: { type: String, required: true },
    dueAt: { type: Date, required: true },
    detectedAt: { type: Date, required: true },
  },
  { collection: 'ticket_sla_breaches', versionKey: false, strictQuery: 'throw' },
);
// Breach reports over a detection range, optionally per library.
ticketSlaBreachSchema.index({ detectedAt: 1 });
ticketSlaBreachSchema.index({ libraryId: 1, detectedAt: 1 });

export const ticketSlaBreachModel = (conn: Connection) => modelOn(conn, 'TicketSlaBreach', ticketSlaBreachSchema);

/** A priority's targets in minutes. */
export interface SlaTarget {
  priority: TicketPriority;
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

/** The tenant's SLA overrides (`_id: 'sla'`); priorities not listed keep the defaults. */
export interface TicketSettingsDoc {
  _id: string;
  targets: SlaTarget[];
  updatedAt: Date;
}

export const ticketSettingsSchema = new Schema<TicketSettingsDoc>(
  {
    _id: { type: String, required: true },
    targets: {
      type: [
        new Schema(
          {
            priority: { type: String, required: true },
            firstResponseMinutes: { type: Number, required: true },
            resolutionMinutes: { type: Number, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { collection: 'ticket_settings', timestamps: { createdAt: false, updatedAt: true }, versionKey: false, strictQuery: 'throw' },
);

export const ticketSettingsModel = (conn: Connection) => modelOn(conn, 'TicketSettings', ticketSettingsSchema);
