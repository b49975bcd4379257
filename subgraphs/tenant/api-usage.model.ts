import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../core/tenancy/db';

/** Counters shared by the per-key and per-tenant daily aggregates (all `$inc`). */
export interface UsageCounters {
  requests: number;
  /** By HTTP status class of the partner's answer. */
  status2xx: number;
  status4xx: number;
  status5xx: number;
  /** Requests answered with at least one GraphQL error (whatever the status). */
  withErrors: number;
  totalLatencyMs: number;
  maxLatencyMs: number;
  requestBytes: number;
  responseBytes: number;
}

// No defaults: an upsert's defaults would collide with its own $inc/$max on the same paths.
const counters = {
  requests: Number,
  status2xx: Number,
  status4xx: Number,
  status5xx: Number,
  withErrors: Number,
  totalLatencyMs: Number,
  maxLatencyMs: Number,
  requestBytes: Number,
  responseBytes: Number,
};

/** Daily usage of one key and operation (tenant DB); `_id` is `keyId|day|operation` so the `$inc` upsert needs no other unique index. */
export interface ApiUsageDailyDoc extends UsageCounters {
  _id: string;
  keyId: string;
  /** Tenant-local day 'YYYY-MM-DD' (core/tenant-time.ts). */
  day: string;
  operationName: string | null;
}

export const apiUsageDailySchema = new Schema<ApiUsageDailyDoc>(
  {
    _id: { type: String },
    keyId: { type: String, required: true },
    day: { type: String, required: true },
    operationName: { type: String, default: null },
    ...counters,
  },
  { collection: 'api_usage_daily', versionKey: false, strictQuery: 'throw' },
);
apiUsageDailySchema.index({ day: 1, keyId: 1 });

/** One per recorded request (tenant DB, `_id` = the use's id): a retried batch is counted once. Swept with the raw log. */
export interface ApiUsageCountedDoc {
  _id: string;
  at: Date;
}

export const apiUsageCountedSchema = new Schema<ApiUsageCountedDoc>(
  { _id: { type: String }, at: { type: Date, required: true } },
  { collection: 'api_usage_counted', versionKey: false, strictQuery: 'throw' },
);
apiUsageCountedSchema.index({ at: 1 });

/** Platform DB: partner requests of one tenant on one of its days, `_id` `tenantId|day`. */
export interface TenantApiUsageDailyDoc extends UsageCounters {
  _id: string;
  tenantId: string;
  tenantSlug: string;
  day: string;
}

export const tenantApiUsageDailySchema = new Schema<TenantApiUsageDailyDoc>(
  {
    _id: { type: String },
    tenantId: { type: String, required: true },
    tenantSlug: { type: String, required: true },
    day: { type: String, required: true },
    ...counters,
  },
  { collection: 'api_usage_tenant_daily', versionKey: false, strictQuery: 'throw' },
);
tenantApiUsageDailySchema.index({ day: 1 });

export const apiUsageDailyModel = (conn: Connection) => modelOn(conn, 'ApiUsageDaily', apiUsageDailySchema);
export const apiUsageCountedModel = (conn: Connection) => modelOn(conn, 'ApiUsageCounted', apiUsageCountedSchema);
export const tenantApiUsageDailyModel = (platform: Connection) => modelOn(platform, 'TenantApiUsageDaily', tenantApiUsageDailySchema);
