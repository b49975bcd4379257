import type { Express, RequestHandler } from 'express';
import type { ServiceConfig } from '../config';
import type { Logger } from '../logger';
import { requireSignature } from '../security/signing';
import type { DbManager } from '../tenancy/db';
import { createMetrics, observeDbPool, type ServiceMetrics } from './metrics';
import { observabilityPlugin } from './plugin';

/**
 * Protections and observability of one subgraph: metrics (served by serveMetrics), pool gauges, and the
 * middleware that runs before Apollo on /graphql (gateway signature check).
 * Spans come from the OpenTelemetry instrumentations (core/observability/sdk.ts).
 */
export function instrumentSubgraph(name: string, config: ServiceConfig, db: DbManager, app: Express, log: Logger) {
  const metrics: ServiceMetrics = createMetrics(name, { processMetrics: config.env !== 'test' });
  observeDbPool(metrics, db.client());
  const graphql: RequestHandler[] = [requireSignature(config)];
  return { metrics, graphql, plugin: observabilityPlugin(metrics, log, 'debug') };
}
