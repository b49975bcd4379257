import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  getOperationAST,
  GraphQLError,
  Kind,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServiceConfig } from '../../core/config';
import { ERROR_CATALOG } from '../../core/errors';
import { topics } from '../../core/events';
import type { Logger } from '../../core/logger';
import { missingPermission } from '../../core/permissions/rules';
import { SUPERGRAPH_MODULES, SUPERGRAPH_RULES } from '../../subgraphs/rules';
import { moduleDisabled, modulesOf } from '../../core/permissions/modules';
import { inLibraryScope } from '../../core/scope/library-scope';
import type { PubSub } from '../../core/pubsub';
import type { RequestLimits } from '../use-rate-limit';
import { createGatewayContext, type GatewayContext } from '../context';
import { admitOperation } from '../http/operation';
import { authenticate, CLOSE, ConnectionRefused, type ConnectionState } from './connection';
import { clientIp, useWsLimits } from './limits';
import { useMultiplex } from './multiplex';
import { eventVariables, toPayloadQuery } from './rewrite';
import { SUBSCRIPTION_ROUTES } from './routes';

export interface SubscriptionServerDeps {
  httpServer: http.Server;
  apollo: ApolloServer<GatewayContext>;
  schema: () => GraphQLSchema;
  pubsub: PubSub;
  config: ServiceConfig;
  log: Logger;
  /** The same limits (depth, aliases, cost…) as HTTP operations. */
  validationRules: ValidationRule[];
  /** The HTTP rate budgets (per IP, user, tenant), spent by WebSocket operations too. */
  rateLimits: RequestLimits;
}

type Extra = { socket: WebSocket; request: http.IncomingMessage };

const gqlError = (code: keyof typeof ERROR_CATALOG, message: string) => new GraphQLError(message, { extensions: { code, errorCode: ERROR_CATALOG[code] } });

/**
 * graphql-ws on the gateway's own /graphql: queries and mutations run through
 * the gateway as over HTTP; subscriptions listen to their tenant's topic and,
 * per event, fetch the selected fields through the gateway (federation) with
 * the subscriber's own token, so permissions and isolation are the same as HTTP.
 */
export async function startSubscriptionServer(deps: SubscriptionServerDeps) {
  const { apollo, pubsub, log } = deps;
  const ws = deps.config.subscriptions;
  // maxPayload: a bigger message closes the socket with 1009 before it is parsed.
  const wss = new WebSocketServer({ server: deps.httpServer, path: '/graphql', maxPayload: ws.maxPayloadBytes });
  const states = new Map<WebSocket, ConnectionState>();
  const limits = useWsLimits({ rate: deps.rateLimits, ...ws, trustProxy: deps.config.security.trustProxy });
  /** Subscription slots reserved in onSubscribe, taken over by the stream in subscribe. */
  const slots = new WeakMap<object, () => void>();
  /** Hands `subscribe` its slot's release; a subscription that fails to start releases it at once. */
  const withSlot =
    <R>(fn: (args: ExecutionArgs, release: () => void) => Promise<R>) =>
    async (args: ExecutionArgs): Promise<R> => {
      const release = slots.get(args) ?? (() => undefined);
      try {
        return await fn(args, release);
      } catch (err) {
        release();
        throw err;
      }
    };
  const closeStates = (members: ConnectionState[], code: string) => {
    const set = new Set(members);
    for (const [socket, s] of states) if (set.has(s)) socket.close(code === 'TENANT_SUSPENDED' ? CLOSE.forbidden : CLOSE.unauthorized, code);
  };
  const multiplex = useMultiplex<ConnectionState>({
    listen: (topic, push) => pubsub.subscribe(topic, push),
    refused: closeStates,
    enabled: ws.multiplex,
    onError: (err) => log.error({ err }, 'subscription payload failed'),
  });

  const closeTenant = (tenantId: string) => {
    for (const [socket, state] of states) if (state.tenantId === tenantId) socket.close(CLOSE.forbidden, 'Tenant suspended');
  };
  const offStatus = await pubsub.subscribe(topics.tenantStatus, (e) => {
    if (e.status === 'suspended' && typeof e.tenantId === 'string') closeTenant(e.tenantId);
  });
  // Modules or plan changed: the next subscribe or event reads the tenant's modules again.
  const offChanged = await pubsub.subscribe(topics.tenantChanged, (e) => {
    for (const state of states.values()) if (state.tenantId === e.tenantId) state.modules = undefined;
  });

  /** The tenant's effective modules, read once per connection through the tenant subgraph (and again after a change). */
  const tenantModules = (state: ConnectionState) => {
    state.modules ??= apollo.executeOperation({ query: MODULES_QUERY }, { contextValue: createGatewayContext(state.headers) }).then((res) => {
      const single = res.body.kind === 'single' ? res.body.singleResult : null;
      const modules = (single?.data as { tenant?: { modules?: Record<string, boolean> } } | null | undefined)?.tenant?.modules;
      if (!modules) throw new Error(`tenant modules unavailable: ${String(single?.errors?.[0]?.extensions?.code ?? 'no data')}`);
      return modules;
    });
    // A failed read is not kept: the next check asks again.
    state.modules.catch(() => (state.modules = undefined));
    return state.modules;
  };
  /**
   * MODULE_DISABLED when the tenant has a module of subscription `field` off; when the
   * modules cannot be read, SERVICE_UNAVAILABLE (never served unchecked).
   */
  const moduleError = async (field: string, state: ConnectionState): Promise<GraphQLError | null> => {
    const needed = modulesOf(SUPERGRAPH_MODULES, 'Subscription', field);
    if (needed.length === 0) return null;
    try {
      const on = await tenantModules(state);
      const off = needed.find((m) => on[m] !== true);
      return off ? moduleDisabled(off) : null;
    } catch (err) {
      log.warn({ err }, 'tenant modules not read for a subscription');
      return gqlError('SERVICE_UNAVAILABLE', 'Service unavailable, try again');
    }
  };

  const execute = async (args: ExecutionArgs, state: ConnectionState, document: DocumentNode = args.document, extraVars = {}) => {
    const res = await apollo.executeOperation(
      { query: document, variables: { ...(args.variableValues ?? {}), ...extraVars }, operationName: args.operationName ?? undefined },
      { contextValue: createGatewayContext(state.headers) },
    );
    return res.body.kind === 'single' ? (res.body.singleResult as ExecutionResult) : { errors: [gqlError('INTERNAL', 'Internal server error')] };
  };

  const server = useServer<Record<string, unknown>, Extra>(
    {
      schema: () => deps.schema(),
      // A socket that never sends connection_init is closed with 4408.
      connectionInitWaitTimeout: ws.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        try {
          const state: ConnectionState = {
            ...(await authenticate(ctx.connectionParams, deps.config.security.jwtKeys, apollo)),
            streams: new Set(),
            ip: clientIp(ctx.extra.request, deps.config.security.trustProxy),
          };
          const limited = await limits.rate(state.ip, state.auth);
          if (limited) throw new ConnectionRefused(CLOSE.rateLimited, limited.message);
          const socket = ctx.extra.socket;
          states.set(socket, state);
          if (state.auth.exp) {
            const ms = Math.max(0, state.auth.exp * 1000 - Date.now());
            state.expiry = setTimeout(() => socket.close(CLOSE.unauthorized, 'Access token expired'), ms);
          }
          socket.once('close', () => {
            state.closed = true;
            clearTimeout(state.expiry);
            for (const s of state.streams) s.end();
            states.delete(socket);
          });
          return true;
        } catch (err) {
          const refused = err instanceof ConnectionRefused ? err : new ConnectionRefused(CLOSE.forbidden, 'Forbidden');
          if (!(err instanceof ConnectionRefused)) log.error({ err }, 'websocket connection check failed');
          ctx.extra.socket.close(refused.code, refused.reason);
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return [gqlError('UNAUTHENTICATED', 'Not connected')];
        const limited = await limits.rate(state.ip, state.auth);
        if (limited) return [limited];
        const schema = deps.schema();
        // Parse (with the token limit), validate with the operation limits, operation, variables: as over HTTP.
        const admitted = admitOperation(schema, deps.validationRules, payload, deps.config.env === 'production');
        if (Array.isArray(admitted)) return admitted;
        const { document, operation: op } = admitted;
        const execArgs = { schema, document, variableValues: payload.variables ?? {}, operationName: payload.operationName, contextValue: state };
        if (op.operation === 'subscription') {
          const denied = checkSubscription(op.selectionSet.selections, state);
          if (denied) return [denied];
          const root = op.selectionSet.selections[0] as FieldNode;
          const refused = await moduleError(root.name.value, state);
          if (refused) return [refused];
          // Branch scope: a scoped subscriber may name only its own libraries.
          const fieldDef = schema.getSubscriptionType()!.getFields()[root.name.value];
          const args = getArgumentValues(fieldDef, root, payload.variables ?? {});
          if (typeof args.libraryId === 'string' && !inLibraryScope(state, args.libraryId)) {
            return [gqlError('FORBIDDEN', 'This library is outside your branch scope')];
          }
          const slot = limits.reserve(state, state.auth, state.tenantId);
          if (slot instanceof GraphQLError) return [slot];
          slots.set(execArgs, slot);
        }
        return execArgs;
      },
      // Results come from the gateway already formatted and masked: send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
      execute: (args) => execute(args, args.contextValue as ConnectionState),
      subscribe: withSlot(async (args, release) => {
        const state = args.contextValue as ConnectionState;
        const op = getOperationAST(args.document, args.operationName)!;
        if (op.operation !== 'subscription') return execute(args, state);
        const root = op.selectionSet.selections[0] as FieldNode;
        const route = SUBSCRIPTION_ROUTES[root.name.value];
        const fieldDef = deps.schema().getSubscriptionType()!.getFields()[root.name.value];
        const fieldArgs = getArgumentValues(fieldDef, root, args.variableValues ?? {});
        const query = toPayloadQuery(args.document, op, root, route);
        const key = root.alias?.value ?? root.name.value;
        // One execution per event for each group of equal subscribers (multiplex.ts); `as` is one of them.
        const stream = await multiplex.join({
          topic: route.topic(state.tenantId),
          facts: {
            tenantId: state.tenantId,
            document: args.document,
            variables: args.variableValues ?? {},
            operationName: args.operationName,
            auth: state.auth,
            perUser: !!route.perUser,
          },
          member: state,
          accept: (event, as) => route.accept(event, fieldArgs, as.auth),
          // Switched off while subscribed: every member is told once, then completes.
          isLast: (result) => result.errors?.[0]?.extensions?.code === 'MODULE_DISABLED',
          payload: async (event, as) => {
            // The tenant is part of the group key: one module check serves the whole group.
            const refused = await moduleError(root.name.value, as);
            if (refused) return { errors: [refused] } as ExecutionResult;
            const result = await execute(args, as, query, eventVariables(route, event));
            const value = (result.data as Record<string, unknown> | null | undefined)?.[key] ?? null;
            if (value === null && !result.errors?.length) return null; // gone by the time we looked
            return { data: { [key]: value }, ...(result.errors ? { errors: result.errors } : {}) } as ExecutionResult;
          },
          onClose: () => {
            state.streams.delete(stream);
            release();
          },
        });
        state.streams.add(stream);
        if (state.closed) stream.end(); // the socket closed while this subscription was starting
        return stream;
      }),
    },
    wss,
  );
  // Registered after graphql-ws's own handler: client-caused socket errors (a message over
  // maxPayload, a broken frame) are warnings, not its "check your implementation" console error.
  // ws closes such a socket itself (1009 for an oversized message).
  wss.on('connection', (socket) => {
    socket.removeAllListeners('error');
    socket.on('error', (err) => log.warn({ code: (err as NodeJS.ErrnoException).code }, 'websocket closed on a client error'));
  });

  return {
    /** Open subscriptions across all connections. */
    activeSubscriptions: () => [...states.values()].reduce((n, s) => n + s.streams.size, 0),
    /** Subscription groups, members and payload executions (multiplex.ts). */
    groups: () => multiplex.stats(),
    connections: () => states.size,
    /** Completes every open subscription (clients get `complete`), then closes the sockets. */
    async stop() {
      offStatus();
      offChanged();
      for (const state of states.values()) for (const s of state.streams) s.end();
      await new Promise((r) => setTimeout(r, 50)); // let graphql-ws flush the completes
      await server.dispose();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

const MODULES_QUERY = `{ tenant { modules { attendance payments messaging bookings analytics } } }`;

/** One root field, with a route, that the caller's role may read. */
function checkSubscription(selections: readonly { kind: string }[], state: ConnectionState): GraphQLError | null {
  if (selections.length !== 1 || selections[0].kind !== Kind.FIELD) {
    return gqlError('BAD_USER_INPUT', 'A subscription must select exactly one field');
  }
  const name = (selections[0] as FieldNode).name.value;
  if (!SUBSCRIPTION_ROUTES[name]) return gqlError('BAD_USER_INPUT', `Unknown subscription ${name}`);
  const spec = SUPERGRAPH_RULES.Subscription?.[name];
  if (!spec) return gqlError('FORBIDDEN', 'You do not have permission for this operation');
  const missing = missingPermission(state.auth, spec);
  if (missing) return gqlError('FORBIDDEN', `Missing permission ${missing}`);
  return null;
}
