import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema, type GraphQLSchema } from 'graphql';
import Redis from 'ioredis';
import { loadServiceEnv, type ServiceConfig } from '../core/config';
import { maskError } from '../core/errors';
import { buildPublicSchema } from '../core/federation/contract';
import { createLogger, logDestination, type Logger } from '../core/logger';
import { createMetrics, serveMetrics } from '../core/observability/metrics';
import { observabilityPlugin } from '../core/observability/plugin';
import { schemaPath } from '../core/paths';
import { createPubSub, type PubSub } from '../core/pubsub';
import { signingHeaders } from '../core/security/signing';
import { requestIdPlugin } from '../core/server/plugins';
import { jsonErrorHandler, notFoundHandler } from '../core/server/http-errors';
import { listen, type RunningService } from '../core/server/subgraph-server';
import { apqErrorCodes, persistedQueries } from './apq';
import { createGatewayContext, type GatewayContext } from './context';
import { ForwardingDataSource } from './datasource';
import { dashboardRouter } from './dashboard';
import { explorerRouter } from './explorer';
import { graphqlOverHttpPlugin } from './http/protocol-plugin';
import { requestIdMiddleware } from './http/request-id';
import { partnerRouter } from './partner';
import { createKeyRateLimiter } from './partner/rate-limit';
import { recordApiUsage } from './partner/tenant.client';
import type { MultiplexStats } from './subscriptions/multiplex';
import { gatewayEnv } from './gateway.env';
import { startSubscriptionServer } from './subscriptions/server';
import { useHttpHardening } from './use-http-hardening';
import { useIntrospectionGate } from './use-introspection-gate';
import { useApiUsage } from './use-api-usage';
import { tooLarge, useOperationLimits } from './use-operation-limits';
import { useRateLimit } from './use-rate-limit';
import { useRateLimitStatus } from './use-rate-limit-status';
import { useReadyRoute } from './use-ready-route';
import { useDocumentProxy } from './use-document-proxy';
import { useResilientFetcher } from './use-resilient-fetcher';
import { useSubgraphFetcher } from './use-subgraph-fetcher';

/** Version of the public (partner) contract; bumped with schema/CHANGELOG.md. */
export const PUBLIC_API_VERSION = '1.0.0';

/** Variables the gateway reads besides loadConfig's (docker-compose.yml passes them: tests/compose.test.ts). */
export const ENV_VARS: readonly string[] = Object.keys(gatewayEnv);

export interface GatewayOptions {
  /** Defaults to the checked-in schema/supergraph.graphql (never composed at runtime). */
  supergraphSdl?: string;
  /** Shared pub/sub (embedded mode, tests); otherwise one is created from REDIS_URL. */
  pubsub?: PubSub;
  /** Logger to use instead of one writing to stdout (tests read the JSON lines). */
  logger?: Logger;
}

export interface GatewayService extends RunningService {
  /** Open subscriptions over graphql-ws (lifecycle tests). */
  activeSubscriptions(): number;
  /** Subscription groups, their members and payload executions so far (gateway/subscriptions/multiplex.ts). */
  subscriptionGroups(): MultiplexStats;
}

export async function createServer(config: ServiceConfig, opts: GatewayOptions = {}): Promise<GatewayService> {
  const log = opts.logger ?? createLogger('gateway', config.logLevel, logDestination(config));
  const metrics = createMetrics('gateway', {
    activeSubscriptions: () => subscriptions?.activeSubscriptions() ?? 0,
    subscriptionGroups: () => subscriptions?.groups() ?? { groups: 0, executions: 0 },
    processMetrics: config.env !== 'test',
  });
  const rejected = (scope: string) => metrics.rateLimited.inc({ scope });
  const genv = loadServiceEnv(gatewayEnv);
  const dedupe = genv.GATEWAY_DEDUPE_ENTITIES === 'on';
  const supergraphSdl = opts.supergraphSdl ?? readFileSync(schemaPath('supergraph.graphql'), 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: log,
    // Subgraph URLs come from config, so one supergraph file serves every deployment.
    // Timeout + SERVICE_UNAVAILABLE per subgraph (gateway/use-resilient-fetcher.ts): partial data when one is down.
    buildService: ({ name, url }) =>
      new ForwardingDataSource({
        url: config.subgraphUrls[name as keyof typeof config.subgraphUrls] ?? url,
        dedupe,
        fetcher: useResilientFetcher({
          base: useSubgraphFetcher({ subgraph: name, metrics, sign: (body) => signingHeaders(config, body) }),
          timeoutMs: config.subgraphTimeoutMs,
          onFailure: (reason) => log.warn({ subgraph: name, reason }, 'subgraph unavailable'),
        }),
      }),
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((s) => (apiSchema = s.apiSchema));
  const limits = useOperationLimits({ hideSuggestions: config.env === 'production' });
  const pubsub = opts.pubsub ?? createPubSub(config.redisUrl);
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  // Per-IP, per-user and per-tenant budgets, shared by HTTP and WebSocket operations.
  const s = config.security;
  const rateLimits = useRateLimit({
    perIp: s.rateLimitIp,
    perUser: s.rateLimitUser,
    perTenant: s.rateLimitTenant,
    jwtKeys: s.jwtKeys,
    log,
    onReject: rejected,
    redis,
  });

  let stopping: Promise<void> | undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(requestIdMiddleware());
  useHttpHardening({ corsOrigins: s.corsOrigins, trustProxy: s.trustProxy, hsts: config.env === 'production' })(app);
  const metricsEndpoint = await serveMetrics(metrics, app, config.metricsPort);
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Gated per caller by introspectionGate (platform staff may introspect in production).
    introspection: true,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries (gateway/apq.ts): Redis-shared across instances when REDIS_URL is set.
    // Registration happens only after validation; permissions apply at execution as for any query.
    persistedQueries: persistedQueries(config.persistedQueries, redis, log),
    // Refuses "simple" (form/text) requests browsers send cross-site without preflight.
    csrfPrevention: true,
    validationRules: limits.validationRules,
    // The token limit as graphql-js's own parse option: a parse error (QUERY_TOO_LARGE), not a fault.
    parseOptions: limits.parseOptions,
    plugins: [
      apqErrorCodes(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      graphqlOverHttpPlugin<GatewayContext>(),
      requestIdPlugin(log),
      useIntrospectionGate({ staffOnly: config.env === 'production' }),
      ...limits.plugins,
      useRateLimitStatus<GatewayContext>({ onReject: () => rejected('login') }),
      observabilityPlugin<GatewayContext>(metrics, log),
    ],
    formatError: (formatted, error) => maskError(tooLarge(formatted), error),
  });
  await apollo.start();

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/ready', useReadyRoute({ urls: () => config.subgraphUrls, log, isStopping: () => !!stopping }));
  // Signed download links of generated documents (core/documents, docs/flows/documents.md).
  app.get(
    '/documents/:token',
    rateLimits.middleware,
    useDocumentProxy({ urls: () => config.subgraphUrls, keys: s.jwtKeys, sign: (body) => signingHeaders(config, body), log }),
  );
  app.use('/explorer', explorerRouter({ version: PUBLIC_API_VERSION, changelogUrl: '/explorer/changelog', endpoint: '/partner/graphql' }));
  app.use('/dashboard', dashboardRouter({ endpoint: '/graphql' }));
  // Partner usage log: measured here, stored by the tenant subgraph (gateway/use-api-usage.ts).
  const apiUsage =
    genv.API_USAGE_RECORDING === 'on'
      ? useApiUsage({
          send: (entries) => recordApiUsage(config, entries),
          log,
          flushMs: genv.API_USAGE_FLUSH_MS,
          batchSize: genv.API_USAGE_BATCH_SIZE,
          maxBuffer: genv.API_USAGE_BUFFER_MAX,
          registry: metrics.registry,
        })
      : undefined;
  app.use(
    '/partner/graphql',
    ...(apiUsage ? [apiUsage.middleware] : []),
    partnerRouter({
      apollo,
      config,
      log,
      publicSchema: buildSchema(buildPublicSchema(supergraphSdl)),
      validationRules: limits.validationRules,
      rateLimit: createKeyRateLimiter(redis),
    }),
  );
  app.use(
    '/graphql',
    rateLimits.middleware,
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      // req.ip: the client address, through TRUST_PROXY hops of X-Forwarded-For.
      context: async ({ req }) => createGatewayContext(req.headers, config.security.jwtKeys, req.ip ?? req.socket.remoteAddress),
    }),
  );

  app.use(notFoundHandler());
  app.use(jsonErrorHandler(log));

  const subscriptions = await startSubscriptionServer({
    httpServer,
    apollo,
    pubsub,
    config,
    log,
    rateLimits,
    validationRules: limits.validationRules,
    schema: () => apiSchema!,
  });

  await listen(httpServer, config.port);
  const { port } = httpServer.address() as AddressInfo;
  log.info({ port }, 'gateway started');
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    metricsUrl: metricsEndpoint.url(`http://localhost:${port}`),
    activeSubscriptions: subscriptions.activeSubscriptions,
    subscriptionGroups: subscriptions.groups,
    // Idempotent: completes open subscriptions, drains HTTP, then releases the bus.
    stop: () =>
      (stopping ??= (async () => {
        await metricsEndpoint.close();
        await subscriptions.stop();
        await apollo.stop();
        // After the drain: every answered partner request is buffered by now.
        await apiUsage?.stop();
        if (!opts.pubsub) await pubsub.close();
        redis?.disconnect();
      })()),
  };
}
