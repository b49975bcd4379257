import 'reflect-metadata'; // type-graphql decorators need it before any subgraph module loads (main.js entry points)
import { ConfigError, loadConfig, type ServiceConfig, type SubgraphName } from '../config';
import { startTracing } from '../observability/tracing';
import type { RunningService } from './subgraph-server';

/** Shared `main`: read config, start, stop cleanly on SIGTERM/SIGINT, fail loudly on bad config. */
export function runService(name: SubgraphName | 'gateway', start: (config: ServiceConfig) => Promise<RunningService>): void {
  let config: ServiceConfig;
  try {
    config = loadConfig(name);
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  // Traces are exported only when an OTLP endpoint is configured (core/observability/tracing.ts).
  if (config.security.otlpEndpoint) startTracing(name, config.security.otlpEndpoint);
  start(config).then(
    (service) => {
      console.log(`${name} listening on ${service.url}${service.metricsUrl ? `; metrics on ${service.metricsUrl}` : ''}`);
      const shutdown = () => service.stop().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGTERM', shutdown);
      process.once('SIGINT', shutdown);
    },
    (err: Error) => {
      console.error(`${name} failed to start: ${err.message}`);
      process.exit(1);
    },
  );
}
