import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

type MongoClient = ReturnType<Connection['getClient']>;

/**
 * Prometheus metrics of one service, in its own registry (never the global
 * default one: tests and the embedded runner start many services in one process).
 */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'code'>;
  errors: Counter<'operation' | 'code'>;
  duration: Histogram<'operation'>;
  subgraphFetch: Histogram<'subgraph' | 'outcome'>;
  rateLimited: Counter<'scope'>;
}

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Operation names are client-chosen: bounded in shape and number so labels cannot explode. */
const MAX_OPERATIONS = 500;

export interface MetricsOptions {
  /** Open subscriptions (gateway). */
  activeSubscriptions?: () => number;
  /** Subscription groups and payload executions so far (gateway/subscriptions/multiplex.ts). */
  subscriptionGroups?: () => { groups: number; executions: number };
  /** Process metrics (CPU, memory, event loop); off in tests where services share a process. */
  processMetrics?: boolean;
}

export function createMetrics(service: string, opts: MetricsOptions = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const m: ServiceMetrics = {
    registry,
    requests: new Counter({
      name: 'graphql_requests_total',
      help: 'GraphQL operations by operation name and outcome code (OK or the first error code)',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'graphql_errors_total',
      help: 'GraphQL errors by operation name and error code',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'graphql_request_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: BUCKETS,
      registers: [registry],
    }),
    subgraphFetch: new Histogram({
      name: 'gateway_subgraph_fetch_duration_seconds',
      help: "Latency of the gateway's fetches to each subgraph",
      labelNames: ['subgraph', 'outcome'],
      buckets: BUCKETS,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused by a rate limit or login lockout, by scope',
      labelNames: ['scope'],
      registers: [registry],
    }),
  };
  if (opts.activeSubscriptions) {
    const read = opts.activeSubscriptions;
    new Gauge({
      name: 'graphql_active_subscriptions',
      help: 'Open GraphQL subscriptions',
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  }
  if (opts.subscriptionGroups) {
    const read = opts.subscriptionGroups;
    new Gauge({
      name: 'graphql_subscription_groups',
      help: 'Live subscription groups of this instance (equal subscribers share one)',
      registers: [registry],
      collect() {
        this.set(read().groups);
      },
    });
    // A counter read from the multiplexer's own tally when scraped (it only grows).
    new Counter({
      name: 'graphql_subscription_executions_total',
      help: 'Subscription payload executions (one per group per accepted event)',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read().executions);
      },
    });
  }
  return m;
}

/**
 * Pool gauges from the driver's connection-pool events (emitted without
 * monitorCommands). Counted from when the service started listening.
 */
export function observeDbPool(m: ServiceMetrics, client: MongoClient): void {
  let open = 0;
  let inUse = 0;
  new Gauge({
    name: 'db_pool_connections',
    help: 'Open MongoDB connections of the pool',
    registers: [m.registry],
    collect() {
      this.set(Math.max(0, open));
    },
  });
  new Gauge({
    name: 'db_pool_connections_in_use',
    help: 'MongoDB connections checked out',
    registers: [m.registry],
    collect() {
      this.set(Math.max(0, inUse));
    },
  });
  const failures = new Counter({
    name: 'db_pool_checkout_failures_total',
    help: 'Connection checkouts that failed (pool exhausted or closed)',
    registers: [m.registry],
  });
  client.on('connectionCreated', () => void open++);
  client.on('connectionClosed', () => void open--);
  client.on('connectionCheckedOut', () => void inUse++);
  client.on('connectionCheckedIn', () => void inUse--);
  client.on('connectionCheckOutFailed', () => failures.inc());
}

export function metricsRoute(m: ServiceMetrics) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type(m.registry.contentType).send(await m.registry.metrics());
  };
}

export interface MetricsEndpoint {
  /** Where Prometheus scrapes this service (the public port in development, METRICS_PORT otherwise). */
  url(publicBase: string): string;
  close(): Promise<void>;
}

/**
 * Serves /metrics: on the public app only when no METRICS_PORT is configured (development,
 * tests); otherwise on a listener of its own, so production never exposes it publicly
 * (config.metricsPort defaults to 9464 there). Port 0 picks a free port (tests).
 */
export async function serveMetrics(m: ServiceMetrics, app: Express, metricsPort: number | undefined): Promise<MetricsEndpoint> {
  if (metricsPort === undefined) {
    app.get('/metrics', metricsRoute(m));
    return { url: (base) => `${base}/metrics`, close: async () => {} };
  }
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      void m.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': m.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(metricsPort, '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: () => `http://localhost:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function operationLabel(name: string | null | undefined, seen: Set<string>): string {
  if (!name) return '(anonymous)';
  // The gateway names subgraph fetches `<Operation>__<subgraph>__<n>`: count them under the client's operation.
  name = name.replace(/__[a-z]+__\d+$/, '');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return '(invalid)';
  if (seen.has(name)) return name;
  if (seen.size >= MAX_OPERATIONS) return '(other)';
  seen.add(name);
  return name;
}
