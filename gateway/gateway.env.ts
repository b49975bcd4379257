import { z } from 'zod';

/** The gateway's own variables (core/config.ts loadServiceEnv; its ENV_VARS are these keys). */
export const gatewayEnv = {
  // `_entities` merging and in-flight sharing (gateway/datasource.ts); off only to measure the stock gateway (`npm run bench`).
  GATEWAY_DEDUPE_ENTITIES: z.enum(['on', 'off']).default('on'),
  // Partner API usage log (gateway/use-api-usage.ts): on, or off (nothing beyond the key's "last used" is recorded).
  API_USAGE_RECORDING: z.enum(['on', 'off']).default('on'),
  // Batches to the tenant subgraph: every this many ms, or as soon as this many entries wait (at most 500).
  API_USAGE_FLUSH_MS: z.coerce.number().int().min(10).default(1000),
  API_USAGE_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(200),
  // Entries kept while the tenant subgraph is unreachable; the oldest beyond this are dropped (api_usage_dropped_total).
  API_USAGE_BUFFER_MAX: z.coerce.number().int().min(1).default(10_000),
};
