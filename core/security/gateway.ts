import type { ApolloServerPlugin } from '@apollo/server';
import type { Express, RequestHandler } from 'express';
import type Redis from 'ioredis';
import type { AccessClaims } from '../auth/tokens';
import type { ServiceConfig } from '../config';
import type { Logger } from '../logger';
import { createMetrics, type MetricsOptions } from '../observability/metrics';
import { observabilityPlugin } from '../observability/plugin';
import { subgraphFetcher } from '../observability/subgraph-fetcher';
import { hardenHttp, rateLimitStatusPlugin } from './http';
import { rateLimitMiddleware, requestLimits, type RequestLimits } from './rate-limit';

/**
 * Everything the gateway adds for protections and observability, wired by
 * gateway/index.ts: headers/CORS, metrics (served by serveMetrics), rate limits, the signing+metrics
 * fetcher per subgraph and the per-operation plugins.
 */
export function gatewayProtections(config: ServiceConfig, log: Logger, subscriptions: Pick<MetricsOptions, 'activeSubscriptions' | 'subscriptionGroups'>) {
  const metrics = createMetrics('gateway', { ...subscriptions, processMetrics: config.env !== 'test' });
  const rejected = (scope: string) => metrics.rateLimited.inc({ scope });
  return {
    metrics,
    fetcher: (subgraph: string) => subgraphFetcher(subgraph, config, metrics),
    /** Call right after creating the express app (before any route). */
    harden(app: Express): void {
      hardenHttp(app, config);
    },
    /** Per-IP, per-user and per-tenant budgets, shared by HTTP and WebSocket operations. */
    requestLimits: (redis?: Redis): RequestLimits => requestLimits(config, log, rejected, redis),
    /** Middleware for /graphql: rate limits before the body is parsed. */
    rateLimit: (limits: RequestLimits): RequestHandler => rateLimitMiddleware(limits, config),
    plugins<C extends { requestId: string; auth: AccessClaims | null }>(): ApolloServerPlugin<C>[] {
      return [rateLimitStatusPlugin<C>(() => rejected('login')), observabilityPlugin<C>(metrics, log)];
    },
  };
}
