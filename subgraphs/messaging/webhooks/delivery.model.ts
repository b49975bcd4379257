import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../../core/tenancy/db';

export enum DeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
}

/**
 * One event for one endpoint. Unique (endpointId, eventId): a consumer that runs
 * twice, or two instances fanning out at once, queue it once. `body` is the exact
 * JSON sent on every attempt (signatures cover it), so a replay sends the same bytes.
 */
export interface WebhookDeliveryDoc {
  _id: Types.ObjectId;
  endpointId: Types.ObjectId;
  /** The webhook-id header and the payload's `id`: stable across retries and replays. */
  eventId: string;
  eventType: string;
  body: string;
  status: DeliveryStatus;
  /** Attempts made (a claimed attempt counts once its result is written). */
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const webhookDeliverySchema = new Schema<WebhookDeliveryDoc>(
  {
    endpointId: { type: Schema.Types.ObjectId, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    body: { type: String, required: true },
    status: { type: String, required: true, enum: Object.values(DeliveryStatus) },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, default: null },
    lastResponseCode: { type: Number, default: null },
    lastError: { type: String, default: null },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', timestamps: true, versionKey: false, strictQuery: 'throw', minimize: false },
);
webhookDeliverySchema.index({ endpointId: 1, eventId: 1 }, { unique: true });
// The worker: due pending deliveries; the log: an endpoint's deliveries, newest first.
webhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 });
webhookDeliverySchema.index({ endpointId: 1, _id: -1 });
// Retention: settled deliveries by age.
webhookDeliverySchema.index({ status: 1, updatedAt: 1 });

export const webhookDeliveryModel = (conn: Connection) => modelOn(conn, 'WebhookDelivery', webhookDeliverySchema);

/** How an attempt ended: the receiver answered (2xx or not), or the request failed before an answer. */
export enum AttemptOutcome {
  SENDING = 'SENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/**
 * One attempt, `_id` = `<deliveryId>#<n>`: inserting it IS the claim (unique _id), so two
 * workers never send attempt n twice; a worker that died leaves SENDING with an expired
 * lease, and the next worker moves on to n + 1. Also the delivery log.
 */
export interface WebhookAttemptDoc {
  _id: string;
  deliveryId: Types.ObjectId;
  endpointId: Types.ObjectId;
  attempt: number;
  /** SCHEDULE (the worker), REPLAY or PING (a person). */
  trigger: string;
  outcome: AttemptOutcome;
  leaseUntil: Date;
  responseCode: number | null;
  latencyMs: number | null;
  /** HTTP_<code>, TIMEOUT, CONNECTION, DNS, BLOCKED_TARGET, ENDPOINT_DISABLED. */
  errorClass: string | null;
  /** The first 1 KB of the receiver's answer (receivers' error pages help debugging; nothing we sent is stored here). */
  responseBody: string | null;
  at: Date;
}

export const webhookAttemptSchema = new Schema<WebhookAttemptDoc>(
  {
    _id: { type: String, required: true },
    deliveryId: { type: Schema.Types.ObjectId, required: true },
    endpointId: { type: Schema.Types.ObjectId, required: true },
    attempt: { type: Number, required: true },
    trigger: { type: String, required: true },
    outcome: { type: String, required: true, enum: Object.values(AttemptOutcome) },
    leaseUntil: { type: Date, required: true },
    responseCode: { type: Number, default: null },
    latencyMs: { type: Number, default: null },
    errorClass: { type: String, default: null },
    responseBody: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'webhook_attempts', versionKey: false, strictQuery: 'throw', minimize: false },
);
webhookAttemptSchema.index({ deliveryId: 1, attempt: 1 });

export const webhookAttemptModel = (conn: Connection) => modelOn(conn, 'WebhookAttempt', webhookAttemptSchema);
