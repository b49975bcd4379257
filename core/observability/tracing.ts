import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { NextFunction, Request, Response } from 'express';
import type { Connection } from 'mongoose';

type MongoClient = ReturnType<Connection['getClient']>;

/**
 * OpenTelemetry traces gateway → subgraphs → database. Services always create
 * spans through the global API (no-ops until a provider is registered), so
 * many services in one process (tests, embedded mode) share one provider.
 * Context crosses HTTP as a W3C `traceparent` header, injected by hand (no
 * auto-instrumentation) and extracted by `serverSpan` below.
 */
export function startTracing(service: string, endpoint: string, processors: SpanProcessor[] = []): NodeTracerProvider {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` });
  return registerTracing(service, [new BatchSpanProcessor(exporter), ...processors]);
}

/** Registers a provider with these processors (tests pass an in-memory exporter's). */
export function registerTracing(service: string, processors: SpanProcessor[]): NodeTracerProvider {
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service }), spanProcessors: processors });
  // Also installs the AsyncLocalStorage context manager and the W3C propagator.
  provider.register();
  return provider;
}

export const tracer = (service: string): Tracer => trace.getTracer(`studyspot.${service}`);

/**
 * Express middleware (after the body parser, whose stream callbacks lose the
 * async context): continues the caller's trace and makes the server span the
 * active one for everything the request does, including database commands.
 */
export function serverSpan(service: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer(service).startSpan(`${service} ${req.method} ${req.baseUrl || req.path}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'url.path': req.originalUrl.split('?')[0] },
    }, parent);
    res.once('finish', () => {
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}

/** Names the active server span after the GraphQL operation (called from the metrics plugin). */
export function nameActiveSpan(service: string, operation: string, errorCode?: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${service} ${operation}`);
  span.setAttribute('graphql.operation.name', operation);
  if (errorCode) span.setAttribute('graphql.error.code', errorCode);
}

/** A client span for an outgoing call; returns the headers that carry it. */
export function startClientSpan(service: string, name: string, attributes: Record<string, string>): { span: Span; headers: Record<string, string> } {
  const span = tracer(service).startSpan(name, { kind: SpanKind.CLIENT, attributes }, context.active());
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  return { span, headers };
}

const instrumented = new WeakSet<MongoClient>();

/**
 * One span per database command, child of whatever request is active, from
 * the driver's command monitoring (the pool must be opened with monitorCommands).
 */
export function traceDatabase(client: MongoClient): void {
  if (instrumented.has(client)) return; // one pool may be shared by several in-process services
  instrumented.add(client);
  const open = new Map<number, Span>();
  client.on('commandStarted', (e) => {
    if (!trace.getActiveSpan()) return; // background work outside a request: not traced
    const span = tracer('db').startSpan(`mongodb ${e.commandName}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'mongodb', 'db.namespace': e.databaseName, 'db.operation.name': e.commandName },
    }, context.active());
    open.set(e.requestId, span);
  });
  const finish = (failed: boolean) => (e: { requestId: number }) => {
    const span = open.get(e.requestId);
    if (!span) return;
    open.delete(e.requestId);
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  client.on('commandSucceeded', finish(false));
  client.on('commandFailed', finish(true));
}
