import { z } from 'zod';

/**
 * The OpenTelemetry variables this system reads (OpenTelemetry SDK environment
 * specification). The SDK (`@opentelemetry/sdk-node`) reads them itself when
 * tracing starts (core/observability/instrument.ts); core/config.ts validates
 * them with the rest of the configuration so a typo fails start-up loudly.
 * Kept free of heavy imports: the tracing bootstrap loads it before anything else.
 */

/** Compose passes unset variables as empty strings; the specification treats empty as unset. */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodTypeAny>(t: T) => z.preprocess(blank, t.optional());

const EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const;
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
/** `key=value,key=value` (values percent-encoded), as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS are written. */
/** The specification's endpoints are http(s) URLs, gRPC included. */
const ENDPOINT = z
  .string()
  .url()
  .regex(/^https?:\/\//i, 'an http:// or https:// URL');
const KEY_VALUES = /^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/;

export const otelEnvSchema = {
  /** `true` switches the SDK off whatever else is set. */
  OTEL_SDK_DISABLED: optional(z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(['true', 'false']))),
  /** Default: the service (`gateway`, `tenant`, … — `studyspot-graph` for the all-in-one `npm start`). */
  OTEL_SERVICE_NAME: optional(z.string()),
  OTEL_RESOURCE_ATTRIBUTES: optional(z.string().regex(KEY_VALUES, 'key=value pairs separated by commas')),
  /** `otlp` (default once an endpoint is set), `console`, `zipkin` or `none`. */
  OTEL_TRACES_EXPORTER: optional(
    z.string().refine(
      (v) => {
        const list = v.split(',').map((s) => s.trim());
        return list.every((s) => (EXPORTERS as readonly string[]).includes(s)) && (!list.includes('none') || list.length === 1);
      },
      `one or more of ${EXPORTERS.join(', ')} separated by commas ('none' alone)`,
    ),
  ),
  /** Collector base URL: traces go to `<endpoint>/v1/traces` (OTLP/HTTP). */
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(ENDPOINT),
  /** Full URL for traces only (no path appended); wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(ENDPOINT),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(z.enum(PROTOCOLS)),
  /** e.g. `x-honeycomb-team=<key>` or `authorization=Basic%20…` for a hosted collector. */
  OTEL_EXPORTER_OTLP_HEADERS: optional(z.string().regex(KEY_VALUES, 'key=value pairs separated by commas')),
  OTEL_TRACES_SAMPLER: optional(z.enum(SAMPLERS)),
  /** The ratio of the *traceidratio samplers, 0…1. */
  OTEL_TRACES_SAMPLER_ARG: optional(z.coerce.number().min(0).max(1)),
  /** Default `tracecontext,baggage` (W3C). */
  OTEL_PROPAGATORS: optional(z.string()),
  /** The SDK's own diagnostics on the console. */
  OTEL_LOG_LEVEL: optional(z.enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'])),
  /** Attribute value length caps (the SDK reads them; without either, sdk.ts caps at 8192). */
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: optional(z.coerce.number().int().min(32)),
  OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: optional(z.coerce.number().int().min(32)),
};

const value = (env: NodeJS.ProcessEnv, key: string) => env[key]?.trim() || undefined;

/**
 * Traces are recorded only when an exporter is configured: an OTLP endpoint or
 * an explicit OTEL_TRACES_EXPORTER. Without one the SDK is not even loaded (no cost),
 * instead of the SDK's default of exporting to localhost:4318.
 */
export function tracesEnabled(env: NodeJS.ProcessEnv): boolean {
  if (value(env, 'OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return false;
  const exporters =
    value(env, 'OTEL_TRACES_EXPORTER')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  if (exporters[0] === 'none') return false;
  return exporters.length > 0 || !!value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') || !!value(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
}

/** `gateway` or the subgraph's name from the entry script (`dist/subgraphs/<name>/main.js`); `studyspot-graph` otherwise. */
export function serviceNameOf(entry: string | undefined): string {
  const m = /(?:^|[\\/])(?:gateway|subgraphs[\\/]([a-z]+))[\\/]main\.[jt]s$/.exec(entry ?? '');
  return m ? (m[1] ?? 'gateway') : 'studyspot-graph';
}
