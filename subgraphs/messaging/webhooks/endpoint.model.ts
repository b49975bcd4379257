import { Schema, type Connection, type Types } from 'mongoose';
import { statusClaimSchema } from '../../../core/tenancy/status-claims';
import { modelOn } from '../../../core/tenancy/db';

export enum EndpointStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

/** Why an endpoint is disabled: by a person, after sustained failure, by a 410 Gone answer, or because its API key was revoked. */
export enum DisabledReason {
  MANUAL = 'MANUAL',
  FAILING = 'FAILING',
  GONE = 'GONE',
  KEY_REVOKED = 'KEY_REVOKED',
}

/** A signing secret, sealed with ACCOUNT_KEYS (core/security/secret-box.ts); an old one signs too until `expiresAt`. */
export interface EndpointSecret {
  sealed: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface WebhookEndpointDoc {
  _id: Types.ObjectId;
  url: string;
  description: string | null;
  eventTypes: string[];
  status: EndpointStatus;
  statusSeq: number;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  /** The partner API key that owns it (only that key sees it), or null for the tenant's own. */
  apiKeyId: string | null;
  /** Newest first. */
  secrets: EndpointSecret[];
  /** First failed attempt since the last success (auto-disable measures from it); null when healthy. */
  failingSince: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const webhookEndpointSchema = new Schema<WebhookEndpointDoc>(
  {
    url: { type: String, required: true },
    description: { type: String, default: null },
    eventTypes: { type: [String], required: true },
    status: { type: String, required: true, enum: Object.values(EndpointStatus), default: EndpointStatus.ACTIVE },
    statusSeq: { type: Number, required: true, default: 0 },
    disabledReason: { type: String, default: null },
    disabledAt: { type: Date, default: null },
    apiKeyId: { type: String, default: null },
    secrets: { type: Schema.Types.Mixed, required: true },
    failingSince: { type: Date, default: null },
    createdBy: { type: String, required: true },
  },
  { collection: 'webhook_endpoints', timestamps: true, versionKey: false, strictQuery: 'throw', minimize: false },
);
// Fan-out: active endpoints subscribed to a type; a revoked key's endpoints.
webhookEndpointSchema.index({ status: 1, eventTypes: 1 });
webhookEndpointSchema.index({ apiKeyId: 1 });

export const webhookEndpointModel = (conn: Connection) => modelOn(conn, 'WebhookEndpoint', webhookEndpointSchema);
/** Status moves (disable, enable, auto-disable) one at a time: core/tenancy/status-claims.ts. */
export const webhookEndpointClaimModel = (conn: Connection) => modelOn(conn, 'WebhookEndpointClaim', statusClaimSchema('webhook_endpoint_claims'));
