import { Schema, type Connection } from 'mongoose';
import type { ChainEntry } from '../../core/store/append-chain';
import { mongoChainStore } from '../../core/store/mongo-chain-store';
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

/**
 * One batch's addition to a daily aggregate (chain = the aggregate's `_id`), with the running
 * totals after it. FerretDB applies `$inc` as read-modify-write (concurrent increments get
 * lost), so the totals are an append chain (core/store/append-chain.ts): a unique (chain, seq)
 * serialises writers, a unique key makes a retried batch a no-op. Tenant DB: per key, day and
 * operation; platform DB: per tenant and day.
 */
export interface UsageChainEntryDoc extends ChainEntry<UsageCounters> {
  /** The aggregate's day: entries of days past raw retention are swept (the projection stays). */
  day: string;
}

const usageChainSchema = (collection: string) => {
  const schema = new Schema<UsageChainEntryDoc>(
    {
      chain: { type: String, required: true },
      seq: { type: Number, required: true },
      key: { type: String, required: true },
      day: { type: String, required: true },
      state: { type: Schema.Types.Mixed, required: true },
    },
    { collection, versionKey: false, strictQuery: 'throw', minimize: false },
  );
  schema.index({ chain: 1, seq: 1 }, { unique: true });
  schema.index({ key: 1 }, { unique: true });
  schema.index({ day: 1 });
  return schema;
};
export const apiUsageChainSchema = usageChainSchema('api_usage_chain');
export const tenantApiUsageChainSchema = usageChainSchema('api_usage_tenant_chain');

/** Daily usage of one key and operation (tenant DB): the head of its chain, `_id` `keyId|day|operation`, read by the reports. */
export interface ApiUsageDailyDoc extends UsageCounters {
  _id: string;
  seq: number;
  keyId: string;
  /** Tenant-local day 'YYYY-MM-DD' (core/tenant-time.ts). */
  day: string;
  operationName: string | null;
}

export const apiUsageDailySchema = new Schema<ApiUsageDailyDoc>(
  {
    _id: { type: String },
    seq: Number,
    keyId: { type: String, required: true },
    day: { type: String, required: true },
    operationName: { type: String, default: null },
    ...counters,
  },
  { collection: 'api_usage_daily', versionKey: false, strictQuery: 'throw' },
);
apiUsageDailySchema.index({ day: 1, keyId: 1 });

/** One per counted request (tenant DB, `_id` = the use's id): a later batch holding it again does not count it again. Swept with the raw log. */
export interface ApiUsageCountedDoc {
  _id: string;
  at: Date;
}

export const apiUsageCountedSchema = new Schema<ApiUsageCountedDoc>(
  { _id: { type: String }, at: { type: Date, required: true } },
  { collection: 'api_usage_counted', versionKey: false, strictQuery: 'throw' },
);
apiUsageCountedSchema.index({ at: 1 });

/** Platform DB: partner requests of one tenant on one of its days (head of its chain), `_id` `tenantId|day`. */
export interface TenantApiUsageDailyDoc extends UsageCounters {
  _id: string;
  seq: number;
  tenantId: string;
  tenantSlug: string;
  day: string;
}

export const tenantApiUsageDailySchema = new Schema<TenantApiUsageDailyDoc>(
  {
    _id: { type: String },
    seq: Number,
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
export const apiUsageChainModel = (conn: Connection) => modelOn(conn, 'ApiUsageChain', apiUsageChainSchema);
export const tenantApiUsageChainModel = (platform: Connection) => modelOn(platform, 'TenantApiUsageChain', tenantApiUsageChainSchema);
export const apiUsageStore = (conn: Connection) => mongoChainStore<UsageChainEntryDoc>(apiUsageChainModel(conn));
export const tenantApiUsageStore = (platform: Connection) => mongoChainStore<UsageChainEntryDoc>(tenantApiUsageChainModel(platform));
