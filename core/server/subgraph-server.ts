import type { Connection } from 'mongoose';
import type { DestinationStream } from 'pino';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import type { ServiceConfig } from '../config';
import { createContext, type ContextDeps, type RequestContext } from '../context';
import { createPubSub, type PubSub } from '../pubsub';
import { maskError } from '../errors';
import { buildProtectedSubgraph, type SubgraphDefinition } from '../federation/build-subgraph';
import { createLogger, logDestination } from '../logger';
import { DbManager } from '../tenancy/db';
import { outboxSchemas } from '../events/outbox.model';
import { provisionDatabase, type TenantSchemas } from '../tenancy/provision';
import { topics, type ConsumerTable } from '../events';
import { readOnlyTenantPlugin } from '../tenancy/read-only';
import { watchRegistryVersion } from '../tenancy/registry-version';
import { isReadOnlyDocument, TenantCache } from '../tenancy/tenant-cache';
import { useTenantPreload } from '../tenancy/tenant-preload';
import { serveMetrics } from '../observability/metrics';
import { instrumentSubgraph } from '../observability/service';
import { keepRawBody, requireSignature } from '../security/signing';
import { auditPlugin } from './audit-plugin';
import { requestIdPlugin } from './plugins';
import { jsonErrorHandler } from './http-errors';
import { provisionRoute } from './provision-route';
import { markDatabaseUnavailable } from './unavailable';

export interface RunningService {
  url: string;
  /** Where this service's Prometheus metrics are scraped (METRICS_PORT or the public port). */
  metricsUrl?: string;
  stop(): Promise<void>;
}

/** What the embedded runner and tests share between in-process services. */
export interface SubgraphRuntime {
  pubsub?: PubSub;
  /** Where this service's JSON log lines go (tests read them); default stdout. */
  logDestination?: DestinationStream;
}

export interface SubgraphServerOptions<S extends object = Readonly<Record<string, unknown>>> {
  name: string;
  config: ServiceConfig;
  definition: SubgraphDefinition;
  /** Collections this subgraph keeps in each tenant database (created on provisioning). */
  tenantSchemas?: TenantSchemas;
  /** Runs after those collections exist in a tenant's database, on every (idempotent) provisioning. */
  onProvision?: (conn: Connection) => Promise<void>;
  /** Collections this subgraph keeps in the platform database (indexes ensured at start). */
  platformSchemas?: TenantSchemas;
  /** Shared pub/sub (embedded mode, tests); otherwise one is created from REDIS_URL. */
  pubsub?: PubSub;
  /** Every consumer of every domain event (subgraphs/events.ts DOMAIN_CONSUMERS): whom this service's emits reach. */
  consumers: ConsumerTable;
  /** Background work started with the service (e.g. event listeners); returns its stop function. */
  onStart?: (deps: ContextDeps<S>) => Promise<() => Promise<void> | void>;
  /**
   * Extra HTTP routes of this subgraph (e.g. payment webhooks), mounted before
   * /graphql. They get the raw request, so they can verify signatures over the exact bytes.
   */
  routes?: (app: express.Express, deps: ContextDeps<S>) => void;
  /** Dependencies the subgraph's resolvers find in `ctx.services`. */
  services?: Readonly<S>;
  /** Reuse an existing pool (tests, embedded mode); otherwise one is opened from config. */
  db?: DbManager;
  logDestination?: DestinationStream;
}

/** Starts one subgraph: Apollo Server behind express, with /health and /ready. */
export async function startSubgraphServer<S extends object = Readonly<Record<string, unknown>>>(opts: SubgraphServerOptions<S>): Promise<RunningService> {
  const { name, config } = opts;
  const log = createLogger(name, config.logLevel, opts.logDestination ?? logDestination(config));
  const { schema } = await buildProtectedSubgraph(opts.definition);
  if (!config.mongodbUri && !opts.db) throw new Error('MONGODB_URI is required');
  const db = opts.db ?? (await DbManager.connect(config.mongodbUri!, config.dbPrefix, { maxTenants: config.tenantConnectionsMax }));
  if (opts.platformSchemas) await provisionDatabase(db.platform(), opts.platformSchemas);
  // Every subgraph emits or consumes domain events: the outbox's collections and indexes.
  await provisionDatabase(db.platform(), outboxSchemas);

  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const observed = instrumentSubgraph(name, config, db, app, log);
  const metricsEndpoint = await serveMetrics(observed.metrics, app, config.metricsPort);
  const apollo = createApollo(name, schema, httpServer, config, log, observed.plugin);
  await apollo.start();

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  let stopping: Promise<void> | undefined;
  // Not ready while draining, so a load balancer stops sending new requests.
  app.get('/ready', async (_req, res) => {
    // Bounded: with the database down the driver would wait for server selection (5 s).
    const ok = !stopping && (await Promise.race([db.ping(), new Promise<boolean>((r) => setTimeout(r, 1500, false).unref())]));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable' });
  });
  const pubsub = opts.pubsub ?? createPubSub(config.redisUrl);
  const tenantCache = new TenantCache(config.tenantCacheMs);
  // Every active tenant's entry, loaded ahead of its first request (reloaded well within the TTL).
  const preload =
    config.tenantCacheMs > 0 ? useTenantPreload({ platform: () => db.platform(), cache: tenantCache, everyMs: config.tenantCacheMs / 2, log }) : undefined;
  // Every registry change is announced, and moves the registry version: drop what this process remembers, then load it afresh.
  const changed = () => {
    tenantCache.clear();
    preload?.soon();
  };
  const unsubscribe = await Promise.all([topics.tenantStatus, topics.tenantChanged].map((t) => pubsub.subscribe(t, changed)));
  if (config.tenantCacheMs > 0) unsubscribe.push(watchRegistryVersion(db.platform(), config.tenantCachePollMs, changed));
  if (preload) unsubscribe.push(() => preload.stop());
  const deps: ContextDeps<S> = { service: name, config, db, log, pubsub, consumers: opts.consumers, services: opts.services, tenantCache };
  const stopBackground = opts.onStart ? await opts.onStart(deps) : undefined;
  opts.routes?.(app, deps);
  app.post(
    '/internal/provision',
    express.json({ limit: '10kb', verify: keepRawBody }),
    requireSignature(config),
    provisionRoute(deps, opts.tenantSchemas ?? {}, opts.onProvision),
  );
  app.use(
    '/graphql',
    express.json({ limit: '1mb', verify: keepRawBody }),
    ...observed.graphql,
    expressMiddleware(apollo, {
      context: async ({ req }) => createContext(deps, req.headers, { readOnly: isReadOnlyDocument((req.body as { query?: unknown } | undefined)?.query) }),
    }),
  );
  app.use(jsonErrorHandler(log));

  await listen(httpServer, config.port);
  const { port } = httpServer.address() as AddressInfo;
  log.info({ port }, 'subgraph started');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    metricsUrl: metricsEndpoint.url(`http://localhost:${port}`),
    stop: () =>
      (stopping ??= (async () => {
        await metricsEndpoint.close();
        await stopBackground?.();
        unsubscribe.forEach((off) => off());
        await apollo.stop();
        if (!opts.pubsub) await pubsub.close();
        if (!opts.db) await db.close();
      })()),
  };
}

function createApollo(
  name: string,
  schema: GraphQLSchema,
  httpServer: http.Server,
  config: ServiceConfig,
  log: ReturnType<typeof createLogger>,
  observe: ApolloServerPlugin<RequestContext>,
) {
  return new ApolloServer<RequestContext>({
    schema,
    introspection: config.env !== 'production',
    includeStacktraceInErrorResponses: false,
    // Inline traces would expose resolver timings to any caller.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      requestIdPlugin(log),
      auditPlugin(name),
      readOnlyTenantPlugin(),
      observe,
    ],
    formatError: (formatted, err) => maskError(markDatabaseUnavailable(formatted, err)),
  });
}

/** Idle keep-alive sockets stay open this long: longer than clients and load balancers keep theirs (60 s is common). */
const KEEP_ALIVE_MS = 65_000;

export function listen(server: http.Server, port: number): Promise<void> {
  // Node's 5 s default lets a busy client reuse a socket the server is closing ("fetch failed",
  // ECONNRESET); the server must outlive the client's idle timeout, and headersTimeout must exceed it.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(`Port ${port} is already in use`) : err);
    server.once('error', onError);
    server.listen(port, '0.0.0.0', () => {
      server.off('error', onError);
      resolve();
    });
  });
}
