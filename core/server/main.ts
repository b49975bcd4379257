import 'reflect-metadata'; // type-graphql decorators need it before any subgraph module loads (main.js entry points)
import { ConfigError, loadConfig, type ServiceConfig, type SubgraphName } from '../config';
import { shutdownTelemetry, tracingActive } from '../observability/instrument';
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
  start(config).then(
    (service) => {
      console.log(`${name} listening on ${service.url}${service.metricsUrl ? `; metrics on ${service.metricsUrl}` : ''}`);
      if (tracingActive()) console.log(`${name} exporting traces${config.tracing.endpoint ? ` to ${config.tracing.endpoint}` : ''}`);
      // Stop serving, then export the spans still buffered (core/observability/instrument.ts).
      const shutdown = () =>
        service.stop().then(
          () => shutdownTelemetry().then(() => process.exit(0)),
          () => shutdownTelemetry().then(() => process.exit(1)),
        );
      process.once('SIGTERM', () => void shutdown());
      process.once('SIGINT', () => void shutdown());
    },
    (err: Error) => {
      console.error(`${name} failed to start: ${err.message}`);
      process.exit(1);
    },
  );
}
