import { z } from 'zod';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './events/options';
import { otelEnvSchema, tracesEnabled } from './observability/otel-env';
import { loadSecurityConfig, SECURITY_ENV_VARS, type SecurityConfig } from './security/config';
import { parseClusters } from './tenancy/clusters';

export const SUBGRAPH_NAMES = ['tenant', 'student', 'billing', 'credits', 'messaging'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

const DEFAULT_PORTS: Record<SubgraphName | 'gateway', number> = {
  gateway: 4000,
  tenant: 4001,
  student: 4002,
  billing: 4003,
  credits: 4004,
  messaging: 4005,
};

/** The port Prometheus exporters conventionally use; /metrics in production when METRICS_PORT is unset. */
export const DEFAULT_METRICS_PORT = 9464;

const DEV_SECRET = 'dev-only-secret-change-me-dev-only-secret';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  DB_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]{1,20}$/, 'lowercase letters, digits and _ only (max 20)')
    .default('ss_'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(30).default(900),
  REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .default(7 * 24 * 3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // json (one object a line, for collectors) or pretty (pino-pretty, for a terminal); default json.
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // Append logs to this file instead of stdout (npm start: logs/studyspot.log).
  LOG_FILE: z.string().min(1).optional(),
  // Prometheus /metrics on its own port (never the public one). Production default 9464; elsewhere unset = on the public port.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  REDIS_URL: z.string().optional(),
  // Extra MongoDB clusters for tenants: `name=mongodb://...` separated by ';' (core/tenancy/clusters.ts).
  MONGODB_CLUSTERS: z
    .string()
    .optional()
    .superRefine((v, c) => {
      try {
        parseClusters(v);
      } catch (err) {
        c.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  TENANT_SUBGRAPH_URL: z.string().url().optional(),
  STUDENT_SUBGRAPH_URL: z.string().url().optional(),
  BILLING_SUBGRAPH_URL: z.string().url().optional(),
  CREDITS_SUBGRAPH_URL: z.string().url().optional(),
  MESSAGING_SUBGRAPH_URL: z.string().url().optional(),
  // Gateway: longest wait for one subgraph fetch before answering SERVICE_UNAVAILABLE.
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(300000).default(30000),
  TENANT_CACHE_MS: z.coerce.number().int().min(0).max(600000).default(300000),
  TENANT_CACHE_POLL_MS: z.coerce.number().int().min(50).max(60000).default(1000),
  // Tenant database views (and their compiled models) a process keeps, least recently used dropped (core/tenancy/db.ts).
  TENANT_CONNECTIONS_MAX: z.coerce.number().int().min(2).max(1000000).default(2000),
  // Gateway WebSocket (graphql-ws) limits and subscription multiplexing (docs/subscriptions.md).
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: z.coerce.number().int().min(1).default(100),
  WS_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).default(200),
  WS_MAX_SUBSCRIPTIONS_PER_TENANT: z.coerce.number().int().min(1).default(5000),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600000).default(10000),
  WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(1024 * 1024),
  SUBSCRIPTION_MULTIPLEX: z.enum(['on', 'off']).default('on'),
  // Durable domain events (core/events/outbox.ts, docs/architecture.md "Domain events").
  EVENTS_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  EVENTS_LEASE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  EVENTS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  EVENTS_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  EVENTS_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(300_000),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  // OpenTelemetry (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, …): read by the
  // SDK itself at start-up (core/observability/instrument.ts), validated here with the rest.
  ...otelEnvSchema,
  // Automatic persisted queries on the gateway's /graphql (gateway/apq.ts): in Redis when REDIS_URL is set
  // (shared by every gateway instance, entries expire after the TTL), else in a bounded in-memory LRU.
  APQ: z.enum(['on', 'off']).default('on'),
  APQ_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(86_400),
  APQ_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits and :_.- only (max 64)')
    .default('studyspot:apq:'),
  APQ_MEMORY_MB: z.coerce.number().int().min(1).max(1024).default(16),
});

/**
 * Every variable loadConfig reads: each service validates all of them at start, so
 * docker-compose.yml passes each to every service (tests/compose.test.ts). Variables a
 * single service reads on its own are listed by that service (`ENV_VARS`, scripts/subgraphs.ts).
 */
export const CONFIG_ENV_VARS: readonly string[] = [...Object.keys(envSchema.shape), ...SECURITY_ENV_VARS];

export interface ServiceConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  mongodbUri?: string;
  dbPrefix: string;
  jwtSecret: string;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  logLevel: string;
  /** LOG_FORMAT and LOG_FILE (core/logger.ts logDestination). */
  logFormat: 'json' | 'pretty';
  logFile?: string;
  /** Port of the separate /metrics listener; undefined = /metrics on the public port (never in production). */
  metricsPort?: number;
  redisUrl?: string;
  /** GraphQL URLs of every subgraph, for the gateway and for internal calls. */
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  /** Per-subgraph fetch timeout at the gateway (SUBGRAPH_TIMEOUT_MS). */
  subgraphTimeoutMs: number;
  /** How long a subgraph may answer reads from a cached registry entry (TENANT_CACHE_MS; 0 = off): the bound for registry edits made outside the model. */
  tenantCacheMs: number;
  /** How often a subgraph checks the registry version, which every registry write moves (TENANT_CACHE_POLL_MS). */
  tenantCachePollMs: number;
  /** Tenant database views a process keeps (TENANT_CONNECTIONS_MAX); the least recently used is dropped. */
  tenantConnectionsMax: number;
  /** Gateway graphql-ws limits (per gateway instance) and subscription grouping. */
  subscriptions: SubscriptionConfig;
  /** JWT key ring, CORS, gateway signing, rate limits (core/security/config.ts). */
  security: SecurityConfig;
  /** OpenTelemetry traces (OTEL_*, docs/operations.md "Traces"): on only when an exporter is configured. */
  tracing: TracingConfig;
  /** Durable domain events: polling, lease, retries, retention (EVENTS_*). */
  events: OutboxOptions;
  /** Automatic persisted queries at the gateway (APQ_*): on/off, Redis TTL and key prefix, in-memory bound. */
  persistedQueries: PersistedQueriesConfig;
}

export interface PersistedQueriesConfig {
  enabled: boolean;
  ttlSeconds: number;
  redisPrefix: string;
  memoryMaxBytes: number;
}

export interface TracingConfig {
  enabled: boolean;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT, if set (the start-up line names it). */
  endpoint?: string;
}

export interface SubscriptionConfig {
  /** Open subscriptions per WebSocket connection / per user / per tenant (WS_MAX_SUBSCRIPTIONS_PER_*). */
  maxPerConnection: number;
  maxPerUser: number;
  maxPerTenant: number;
  /** A socket that has not sent connection_init by then is closed with 4408. */
  connectionInitTimeoutMs: number;
  /** Largest WebSocket message accepted; a bigger one closes the socket with 1009. */
  maxPayloadBytes: number;
  /** One payload execution per group of equal subscribers per event (off only to measure the difference). */
  multiplex: boolean;
}

export class ConfigError extends Error {}

/** An empty variable is an unset one (Compose passes `${VAR:-}` as ''), so its default applies. */
const withoutEmpty = (rawEnv: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== '')) as NodeJS.ProcessEnv;

const invalid = (issues: z.core.$ZodIssue[]) =>
  new ConfigError(`Invalid configuration:\n${issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);

/**
 * A service's own variables (those only it reads: `<service>/*.env.ts`), validated with the
 * same rules as loadConfig's: empty = unset, every problem listed in one ConfigError.
 * Read when the service is created, like the environment of loadConfig; the shape's keys
 * are the service's `ENV_VARS` (docker-compose.yml passes each: tests/compose.test.ts).
 */
export function loadServiceEnv<T extends z.ZodRawShape>(shape: T, rawEnv: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<T>> {
  const parsed = z.object(shape).safeParse(withoutEmpty(rawEnv));
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

/** The process environment, for code that hands variables on rather than reading one (the CLI's Io, prefixed provider accounts). */
export const processEnv = (): NodeJS.ProcessEnv => process.env;

/** MONGODB_CLUSTERS of the environment (validated by loadConfig's schema): extra clusters for tenant databases. */
export const clustersFromEnv = (rawEnv: NodeJS.ProcessEnv = process.env): Record<string, string> =>
  parseClusters(loadServiceEnv({ MONGODB_CLUSTERS: envSchema.shape.MONGODB_CLUSTERS }, rawEnv).MONGODB_CLUSTERS);

/** Reads and validates the environment; throws ConfigError with every problem listed. */
export function loadConfig(service: SubgraphName | 'gateway', rawEnv: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const env = withoutEmpty(rawEnv);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw invalid(parsed.error.issues);
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET && !env.JWT_KEYS) {
    throw new ConfigError('Invalid configuration:\n  JWT_SECRET: required in production');
  }
  if (e.NODE_ENV === 'production' && !e.MONGODB_URI) {
    throw new ConfigError('Invalid configuration:\n  MONGODB_URI: required in production');
  }
  const security = loadSecurityConfig(env, e.JWT_SECRET ?? DEV_SECRET);
  if (Array.isArray(security)) throw new ConfigError(`Invalid configuration:\n${security.map((l) => `  ${l}`).join('\n')}`);
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  for (const name of SUBGRAPH_NAMES) {
    const url = e[`${name.toUpperCase()}_SUBGRAPH_URL` as keyof typeof e] as string | undefined;
    subgraphUrls[name] = url ?? `http://localhost:${DEFAULT_PORTS[name]}/graphql`;
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT ?? DEFAULT_PORTS[service],
    mongodbUri: e.MONGODB_URI,
    dbPrefix: e.DB_PREFIX,
    // The signing key (newest of JWT_KEYS when set); verification uses the whole ring.
    jwtSecret: security.jwtKeys[0].secret,
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? 'json',
    logFile: e.LOG_FILE,
    metricsPort: e.METRICS_PORT ?? (e.NODE_ENV === 'production' ? DEFAULT_METRICS_PORT : undefined),
    redisUrl: e.REDIS_URL,
    subgraphUrls,
    subgraphTimeoutMs: e.SUBGRAPH_TIMEOUT_MS,
    tenantCacheMs: e.TENANT_CACHE_MS,
    tenantCachePollMs: e.TENANT_CACHE_POLL_MS,
    tenantConnectionsMax: e.TENANT_CONNECTIONS_MAX,
    subscriptions: {
      maxPerConnection: e.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxPerUser: e.WS_MAX_SUBSCRIPTIONS_PER_USER,
      maxPerTenant: e.WS_MAX_SUBSCRIPTIONS_PER_TENANT,
      connectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
      maxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
      multiplex: e.SUBSCRIPTION_MULTIPLEX === 'on',
    },
    security,
    tracing: {
      enabled: tracesEnabled(env),
      endpoint: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? e.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
    events: {
      pollMs: e.EVENTS_POLL_MS,
      leaseMs: e.EVENTS_LEASE_MS,
      maxAttempts: e.EVENTS_MAX_ATTEMPTS,
      backoffMs: e.EVENTS_BACKOFF_MS,
      backoffMaxMs: Math.max(e.EVENTS_BACKOFF_MS, e.EVENTS_BACKOFF_MAX_MS),
      batchSize: DEFAULT_OUTBOX_OPTIONS.batchSize,
      retentionDays: e.EVENTS_RETENTION_DAYS,
    },
    persistedQueries: {
      enabled: e.APQ === 'on',
      ttlSeconds: e.APQ_TTL_SECONDS,
      redisPrefix: e.APQ_REDIS_PREFIX,
      memoryMaxBytes: e.APQ_MEMORY_MB * 1024 * 1024,
    },
  };
}
