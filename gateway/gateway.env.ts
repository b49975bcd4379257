import { z } from 'zod';

/** The gateway's own variables (core/config.ts loadServiceEnv; its ENV_VARS are these keys). */
export const gatewayEnv = {
  // `_entities` merging and in-flight sharing (gateway/datasource.ts); off only to measure the stock gateway (`npm run bench`).
  GATEWAY_DEDUPE_ENTITIES: z.enum(['on', 'off']).default('on'),
};
