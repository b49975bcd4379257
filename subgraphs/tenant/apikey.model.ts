import { Schema, type Connection, type Types } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** A partner API key. Platform DB: a key must be found from the key alone, before its tenant is known. */
export interface ApiKeyDoc {
  _id: Types.ObjectId;
  tenantId: string;
  name: string;
  /** Public part of the key (`ssk_<prefix>_…`), shown in lists to identify it. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is never stored. */
  hash: string;
  scopes: string[];
  rateLimitPerMinute: number;
  /** Only operations registered for the tenant (trusted documents) run with this key. */
  trustedDocumentsOnly?: boolean;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  lastUsedAt?: Date | null;
  createdBy: string;
  createdAt: Date;
}

export const apiKeySchema = new Schema<ApiKeyDoc>(
  {
    tenantId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    prefix: { type: String, required: true, unique: true },
    hash: { type: String, required: true },
    scopes: { type: [String], required: true },
    rateLimitPerMinute: { type: Number, required: true },
    trustedDocumentsOnly: { type: Boolean, default: false },
    expiresAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
    createdBy: { type: String, required: true },
  },
  { collection: 'api_keys', timestamps: true, versionKey: false, strictQuery: 'throw' },
);

/**
 * Each use of a key (tenant DB): which key, when, which operation — written when the
 * key is exchanged, before the request runs; the gateway completes it after the
 * response (api-usage.service.ts): status, error codes, latency, bytes.
 */
export interface ApiKeyUseDoc {
  _id: Types.ObjectId;
  keyId: string;
  operationName: string | null;
  at: Date;
  operationType?: string | null;
  /** HTTP status the partner got; absent until the gateway's record arrives. */
  status?: number;
  errorCodes?: string[];
  latencyMs?: number;
  requestBytes?: number;
  responseBytes?: number;
  requestId?: string | null;
}

export const apiKeyUseSchema = new Schema<ApiKeyUseDoc>(
  {
    keyId: { type: String, required: true },
    operationName: { type: String, default: null },
    at: { type: Date, required: true },
    operationType: { type: String },
    status: { type: Number },
    errorCodes: { type: [String], default: undefined },
    latencyMs: { type: Number },
    requestBytes: { type: Number },
    responseBytes: { type: Number },
    requestId: { type: String },
  },
  { collection: 'api_key_usage', versionKey: false, strictQuery: 'throw' },
);
apiKeyUseSchema.index({ keyId: 1, at: -1 });
apiKeyUseSchema.index({ at: -1 });

export const apiKeyModel = (platform: Connection) => modelOn(platform, 'ApiKey', apiKeySchema);
export const apiKeyUseModel = (conn: Connection) => modelOn(conn, 'ApiKeyUse', apiKeyUseSchema);
