import { Schema, type Connection } from 'mongoose';
import type { ConsumerName, DomainEventName } from '../events';
import { modelOn } from '../tenancy/db';

/**
 * One delivery of one domain event to one consumer (the outbox is a set of
 * these, in the platform database). `_id` = `<consumer>|<eventId>`: emitting the
 * same event again is a duplicate key, not a second delivery.
 */
export interface EventJobDoc {
  _id: string;
  eventId: string;
  name: DomainEventName;
  consumer: ConsumerName;
  tenantId: string;
  payload: Record<string, unknown>;
  /** pending (first try or retrying) → done, or dead after the last allowed attempt. */
  status: 'pending' | 'done' | 'dead';
  /** Attempts started so far (a crashed attempt counts). */
  attempts: number;
  /** `attempts` when it was last replayed: the attempt budget counts from here. */
  base: number;
  /** Not before: backoff after a failure, lease end while an attempt runs. */
  dueAt: Date;
  lastError?: string;
  doneAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The claim of one attempt: `_id` = `<jobId>#<attempt>`, unique, so exactly one
 * process runs attempt n. A claim whose lease ended without the job moving on was
 * held by a process that died: the next caller claims attempt n + 1.
 */
export interface EventClaimDoc {
  _id: string;
  owner: string;
  leaseUntil: Date;
  createdAt: Date;
}

export const eventJobSchema = new Schema<EventJobDoc>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    name: { type: String, required: true },
    consumer: { type: String, required: true },
    tenantId: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    base: { type: Number, required: true },
    dueAt: { type: Date, required: true },
    lastError: String,
    doneAt: Date,
  },
  { collection: 'event_jobs', timestamps: true, versionKey: false, strictQuery: 'throw', minimize: false },
);
// The poll (consumer, status pending, due), the operator's views, pruning.
eventJobSchema.index({ consumer: 1, status: 1, dueAt: 1 });
eventJobSchema.index({ status: 1, tenantId: 1 });
eventJobSchema.index({ eventId: 1 });

export const eventClaimSchema = new Schema<EventClaimDoc>(
  { _id: { type: String, required: true }, owner: { type: String, required: true }, leaseUntil: { type: Date, required: true } },
  { collection: 'event_claims', timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strictQuery: 'throw' },
);
eventClaimSchema.index({ createdAt: 1 });

/** Platform collections of the outbox (provisioned by every subgraph at start-up). */
export const outboxSchemas = { EventJob: eventJobSchema, EventClaim: eventClaimSchema };

export const eventJobModel = (platform: Connection) => modelOn(platform, 'EventJob', eventJobSchema);
export const eventClaimModel = (platform: Connection) => modelOn(platform, 'EventClaim', eventClaimSchema);
