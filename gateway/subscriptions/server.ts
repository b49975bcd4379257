import type http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  getOperationAST, GraphQLError, Kind, parse, specifiedRules, validate,
  type DocumentNode, type ExecutionArgs, type ExecutionResult, type FieldNode, type GraphQLSchema, type ValidationRule,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ServiceConfig } from '../../core/config';
import { ERROR_CATALOG } from '../../core/errors';
import { topics } from '../../core/events';
import type { Logger } from '../../core/logger';
import { can, FIELD_RULES, type Permission } from '../../core/permissions/catalog';
import { moduleDisabled, modulesOf } from '../../core/permissions/modules';
import { inLibraryScope } from '../../core/scope/library-scope';
import type { PubSub } from '../../core/pubsub';
import { createGatewayContext, type GatewayContext } from '../context';
import { authenticate, CLOSE, ConnectionRefused, type ConnectionState } from './connection';
import { eventStream } from './event-stream';
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
}

type Extra = { socket: WebSocket; request: http.IncomingMessage };

const gqlError = (code: keyof typeof ERROR_CATALOG, message: string) =>
  new GraphQLError(message, { extensions: { code, errorCode: ERROR_CATALOG[code] } });

/**
 * graphql-ws on the gateway's own /graphql: queries and mutations run through
 * the gateway as over HTTP; subscriptions listen to their tenant's topic and,
 * per event, fetch the selected fields through the gateway (federation) with
 * the subscriber's own token, so permissions and isolation are the same as HTTP.
 */
export async function startSubscriptionServer(deps: SubscriptionServerDeps) {
  const { apollo, pubsub, log } = deps;
  const wss = new WebSocketServer({ server: deps.httpServer, path: '/graphql' });
  const states = new Map<WebSocket, ConnectionState>();

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
    state.modules ??= apollo
      .executeOperation({ query: MODULES_QUERY }, { contextValue: createGatewayContext(state.headers) })
      .then((res) => {
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
    const needed = modulesOf('Subscription', field);
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
      onConnect: async (ctx) => {
        try {
          const state: ConnectionState = { ...(await authenticate(ctx.connectionParams, deps.config.security.jwtKeys, apollo)), streams: new Set() };
          const socket = ctx.extra.socket;
          states.set(socket, state);
          if (state.auth.exp) {
            const ms = Math.max(0, state.auth.exp * 1000 - Date.now());
            state.expiry = setTimeout(() => socket.close(CLOSE.unauthorized, 'Access token expired'), ms);
          }
          socket.once('close', () => {
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
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (err) {
          return [gqlError('GRAPHQL_PARSE_FAILED', (err as Error).message)];
        }
        const schema = deps.schema();
        const errors = validate(schema, document, [...specifiedRules, ...deps.validationRules]);
        if (errors.length) return errors.map((e) => gqlError('GRAPHQL_VALIDATION_FAILED', e.message));
        const op = getOperationAST(document, payload.operationName);
        if (!op) return [gqlError('BAD_USER_INPUT', 'Operation not found')];
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
        }
        return { schema, document, variableValues: payload.variables ?? {}, operationName: payload.operationName, contextValue: state };
      },
      // Results come from the gateway already formatted and masked: send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as never,
      execute: (args) => execute(args, args.contextValue as ConnectionState),
      subscribe: async (args) => {
        const state = args.contextValue as ConnectionState;
        const op = getOperationAST(args.document, args.operationName)!;
        if (op.operation !== 'subscription') return execute(args, state);
        const root = op.selectionSet.selections[0] as FieldNode;
        const route = SUBSCRIPTION_ROUTES[root.name.value];
        const fieldDef = deps.schema().getSubscriptionType()!.getFields()[root.name.value];
        const fieldArgs = getArgumentValues(fieldDef, root, args.variableValues ?? {});
        const query = toPayloadQuery(args.document, op, root, route);
        const key = root.alias?.value ?? root.name.value;
        const stream = await eventStream<Record<string, unknown>, ExecutionResult>({
          subscribe: (push) => pubsub.subscribe(route.topic(state.tenantId), push),
          map: async (event) => {
            if (!route.accept(event, fieldArgs, state.auth)) return null;
            // Switched off while subscribed: say so once, then complete.
            const refused = await moduleError(root.name.value, state);
            if (refused) {
              if (refused.extensions.code === 'MODULE_DISABLED') setImmediate(() => stream.end());
              return { errors: [refused] } as ExecutionResult;
            }
            const result = await execute(args, state, query, eventVariables(route, event));
            const code = result.errors?.[0]?.extensions?.code;
            if (code === 'TENANT_SUSPENDED' || code === 'UNAUTHENTICATED') {
              for (const [socket, s] of states) if (s === state) socket.close(code === 'TENANT_SUSPENDED' ? CLOSE.forbidden : CLOSE.unauthorized, String(code));
              return null;
            }
            const value = (result.data as Record<string, unknown> | null | undefined)?.[key] ?? null;
            if (value === null && !result.errors?.length) return null; // gone by the time we looked
            return { data: { [key]: value }, ...(result.errors ? { errors: result.errors } : {}) } as ExecutionResult;
          },
          onClose: () => state.streams.delete(stream),
        });
        state.streams.add(stream);
        return stream;
      },
    },
    wss,
  );

  return {
    /** Open subscriptions across all connections. */
    activeSubscriptions: () => [...states.values()].reduce((n, s) => n + s.streams.size, 0),
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
  const spec = FIELD_RULES.Subscription?.[name];
  if (!spec) return gqlError('FORBIDDEN', 'You do not have permission for this operation');
  if (spec !== 'public' && spec !== 'authenticated' && !can(state.auth, spec as Permission)) {
    return gqlError('FORBIDDEN', `Missing permission ${spec}`);
  }
  return null;
}
