import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, trace, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
// The SDK's own reading of OTEL_TRACES_SAMPLER(_ARG) (not re-exported by its index; the version is pinned).
import { createSamplerFromEnv } from '@opentelemetry/sdk-node/build/src/create-from-env';
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { projectRoot } from '../paths';

/** Probes and scrapes every few seconds: not traced (and what they call is not either). */
const UNTRACED = /^\/(health|ready|metrics)(\/|\?|$)/;
/**
 * Query parameters never recorded in `url.query`: GraphQL over GET carries the document,
 * variables (personal data) and extensions; plus the SDK's defaults (signed URLs).
 */
const REDACTED_QUERY = ['query', 'variables', 'extensions', 'sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature'];

/** Billing's signed pay link (GET /pay/<token>) is a bearer secret: its span keeps the route only. */
export function secretPathAttributes(url: string | undefined): Record<string, string> {
  return url?.startsWith('/pay/') ? { [ATTR_URL_PATH]: '/pay/:token' } : {};
}

/**
 * The official instrumentations, configured for this system. All emit the stable
 * semantic conventions (`http.request.method`, `url.path`, `http.response.status_code`,
 * `db.system.name`, `db.operation.name`, …) in these versions: no
 * OTEL_SEMCONV_STABILITY_OPT_IN is needed.
 */
function instrumentations() {
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => UNTRACED.test(req.url ?? ''),
      redactedQueryParamsServer: REDACTED_QUERY,
      startIncomingSpanHook: (req) => secretPathAttributes(req.url),
      // Correlates spans with log lines and error answers (semconv http.request.header.<name>).
      headersToSpanAttributes: { server: { requestHeaders: ['x-request-id'], responseHeaders: ['x-request-id'] } },
    }),
    // Only for `http.route` (server span name `POST /graphql`): a span per express
    // middleware (helmet, cors, body parser, rate limit…) would bury the useful ones.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER] }),
    // fetch(): the gateway's subgraph fetches, internal calls, providers; injects traceparent.
    new UndiciInstrumentation(),
    // Commands inside a request only (requireParentSpan, the default): background polling stays out.
    new MongoDBInstrumentation(),
    // graphql.parse / graphql.validate / graphql.execute, never a span per field.
    new GraphQLInstrumentation({ ignoreResolveSpans: true, ignoreTrivialResolveSpans: true, mergeItems: true, depth: 0 }),
    // Rate-limit and pub/sub commands inside a request; the statement is the command name
    // only (keys carry client addresses and user ids).
    new IORedisInstrumentation({ dbStatementSerializer: (cmd) => cmd }),
  ];
}

/**
 * The sampler of OTEL_TRACES_SAMPLER (default parentbased_always_on), except that an
 * INTERNAL span without a parent is not recorded: traces begin where work enters the
 * system (an HTTP request, or a client call from background work), not at the
 * GraphQL instrumentation's parsing of schemas at start-up.
 */
class RequestRootedSampler implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (kind === SpanKind.INTERNAL && !trace.getSpanContext(ctx)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `RequestRooted{${this.inner.toString()}}`;
  }
}

function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Starts the NodeSDK: exporter, sampler, propagators and resource from the OTEL_*
 * variables (read by the SDK), `service.name` defaulting to `serviceName`
 * (OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win). Traces only: metrics are
 * Prometheus on /metrics (core/observability/metrics.ts), logs JSON lines on stdout
 * carrying the trace id (core/logger.ts).
 */
export function startSdk(serviceName: string): NodeSDK {
  const sdk = new NodeSDK({
    // The SDK merges OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME over these defaults.
    resource: defaultResource().merge(
      resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, 'service.namespace': 'studyspot-graph', [ATTR_SERVICE_VERSION]: packageVersion() }),
    ),
    sampler: new RequestRootedSampler(createSamplerFromEnv() ?? new ParentBasedSampler({ root: new AlwaysOnSampler() })),
    // GraphQL documents and query shapes can be long: attribute values are capped unless the
    // standard OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT / OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT say otherwise.
    spanLimits:
      process.env.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT?.trim() || process.env.OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT?.trim()
        ? {}
        : { attributeValueLengthLimit: 8192 },
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(),
  });
  sdk.start();
  return sdk;
}
