import { serviceNameOf, tracesEnabled } from './otel-env';

/**
 * The tracing bootstrap: the FIRST import of every entry point (gateway/main.ts,
 * subgraphs/<name>/main.ts, scripts/start-all.ts). The instrumentations patch
 * http, express, mongodb, graphql and ioredis when those modules are required,
 * so the SDK must be running before any of them is loaded. Also usable as
 * `node --require ./dist/core/observability/instrument.js …` (it runs once either way).
 *
 * Without an exporter configured (core/observability/otel-env.ts) the SDK is not loaded at all.
 */
type Sdk = { shutdown(): Promise<void> };

let sdk: Sdk | undefined;
if (tracesEnabled(process.env)) {
  // Required lazily so that a process without tracing never loads the SDK.
  const { startSdk } = require('./sdk') as typeof import('./sdk'); // eslint-disable-line @typescript-eslint/no-require-imports -- lazy: a process without tracing never loads the SDK
  sdk = startSdk(serviceNameOf(process.argv[1]));
}

/** Whether this process records traces. */
export const tracingActive = (): boolean => sdk !== undefined;

/** Exports the spans still buffered; called on SIGTERM/SIGINT before the process exits. */
export async function shutdownTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
}
