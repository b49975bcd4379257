import type { ApolloServer } from '@apollo/server';
import express, { Router, type Request, type Response } from 'express';
import {
  execute,
  getOperationAST,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { createHandler, parseRequestParams } from 'graphql-http';
import type { ServiceConfig } from '../../core/config';
import { AppError, ERROR_CATALOG, maskError, type ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { askTenant } from './tenant.client';
import { createGatewayContext, type GatewayContext } from '../context';
import { requestErrorStatus, responseMediaType, sendErrors } from '../http/media-type';
import { admitOperation } from '../http/operation';
import { isIntrospection } from '../use-introspection-gate';
import type { UsageLocals } from '../use-api-usage';
import type { createKeyRateLimiter } from './rate-limit';
import { useTrustedDocuments, type DocumentDecision } from './trusted-documents';

/** A verified API key: who calls, as which tenant, within which budget. */
export interface PartnerSession {
  accessToken: string;
  keyId: string;
  rateLimitPerMinute: number;
  /** The key runs only its tenant's registered documents (trusted-documents.ts). */
  trustedDocumentsOnly: boolean;
  /** The key's tenant and this use of the key: what the usage log completes (gateway/use-api-usage.ts). */
  tenantId?: string | null;
  useId?: string | null;
}

export interface PartnerDeps {
  apollo: ApolloServer<GatewayContext>;
  config: ServiceConfig;
  log: Logger;
  /** The public contract (schema/public.graphql): the only operations partners can run. */
  publicSchema: GraphQLSchema;
  validationRules: ValidationRule[];
  rateLimit: ReturnType<typeof createKeyRateLimiter>;
}

type PartnerContext = Record<PropertyKey, unknown> & { session: PartnerSession; requestId: string };

const EXCHANGE = `mutation($k: String!, $o: String) { exchangeApiKey(key: $k, operationName: $o) { accessToken keyId rateLimitPerMinute trustedDocumentsOnly tenantId useId } }`;
const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, TENANT_SUSPENDED: 403, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

/** Clear messages for wrongly typed request parameters (graphql-http's are terse). */
const PARAM_ERRORS: Record<string, [field: string, message: string]> = {
  'Missing query': ['query', 'The request has no "query" string'],
  'Invalid query': ['query', '"query" must be a string'],
  'Invalid variables': ['variables', '"variables" must be a JSON object (or null)'],
  'Invalid operationName': ['operationName', '"operationName" must be a string (or null)'],
  'Invalid extensions': ['extensions', '"extensions" must be a JSON object (or null)'],
  'JSON body must be an object': ['body', 'The JSON body must be an object with a "query"'],
  'Missing body': ['body', 'The request has no body'],
  'Unparsable JSON body': ['body', 'Request body is not valid JSON'],
  'Unparsable URL': ['url', '"variables" and "extensions" in the URL must be JSON'],
};

/** A malformed request (not a GraphQL error): graphql-http answers it 400 whatever the media type. */
class RequestParamsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * /partner/graphql (GET and POST, GraphQL over HTTP by graphql-http's handler):
 * authenticated by an API key (x-api-key), rate limited per key, and answering
 * only operations valid against the public contract: fields outside it are
 * unknown here, not forbidden. Valid operations run through the gateway's
 * Apollo Server as the key's tenant with a partner role; introspection is
 * answered from the public schema itself, never the full graph.
 */
export function partnerRouter(deps: PartnerDeps): Router {
  const router = Router();
  const handle = createHandler<Request, undefined, PartnerContext>({
    // Request parameters of the wrong type are refused with a clear message (400).
    parseRequestParams: async (req) => {
      try {
        return await parseRequestParams(req);
      } catch (err) {
        const [field, message] = PARAM_ERRORS[(err as Error).message] ?? ['body', 'Malformed GraphQL request'];
        throw new RequestParamsError(field, message);
      }
    },
    // Parse, validate (public contract + operation limits),
    // operation name and variables: any error here means nothing runs.
    onSubscribe: async (req, params) => {
      const { locals } = req.raw.res!;
      const session = locals.session as PartnerSession;
      const refuse = (errors: readonly GraphQLError[]) => {
        locals.refused = true;
        logRefusal(
          deps.log,
          req.raw,
          session,
          errors.map((e) => e.extensions.code),
        );
        return errors;
      };
      const admitted = admitOperation(deps.publicSchema, deps.validationRules, params, true);
      if (Array.isArray(admitted)) return refuse(admitted);
      const op = getOperationAST(admitted.document, params.operationName);
      (locals as UsageLocals).operation = { name: op?.name?.value ?? params.operationName ?? null, type: op?.operation ?? null };
      const contextValue: PartnerContext = { session, requestId: String(req.raw.headers['x-request-id']) };
      return { schema: deps.publicSchema, document: admitted.document, operationName: params.operationName, variableValues: params.variables, contextValue };
    },
    execute: (args) => run(deps, args),
    // Every error as a client may see it (core/errors.ts); the results of the gateway are already masked.
    formatError: (err) => {
      const formatted: GraphQLFormattedError =
        err instanceof GraphQLError
          ? err.toJSON()
          : err instanceof RequestParamsError
            ? new AppError('BAD_USER_INPUT', err.message, { field: err.field }).toJSON()
            : err instanceof Error
              ? { message: err.message }
              : (err as GraphQLFormattedError);
      return maskError(formatted) as unknown as GraphQLError;
    },
  });

  const resolveDocument = useTrustedDocuments({ config: deps.config, log: deps.log });
  router.use(express.json({ limit: '100kb' }));
  router.all('/', async (req, res) => {
    const session = await authenticate(deps, req, res);
    if (!session) return;
    res.locals.session = session;
    // Trusted documents: the one place a document is accepted or refused for a key, before anything is parsed.
    const admitted = await admitDocument(req, session, resolveDocument);
    if ('error' in admitted) {
      const { code, message, status } = admitted.error;
      logRefusal(deps.log, req, session, [code], status);
      return sendErrors(req, res, status, [{ message, extensions: { code, errorCode: ERROR_CATALOG[code] } }]);
    }
    const [body, init] = await handle({
      url: admitted.url,
      method: req.method,
      headers: req.headers,
      body: () => Promise.resolve(req.body ?? ''),
      raw: req,
      context: undefined,
    });
    // Refused by graphql-http itself (malformed request, method, media types).
    if (init.status >= 400 && !res.locals.refused) logRefusal(deps.log, req, session, codesOf(body), init.status);
    // graphql-http answers malformed requests as application/json whatever was accepted.
    const type = responseMediaType(req.headers.accept);
    const headers = body !== null && type ? { ...init.headers, 'content-type': `${type}; charset=utf-8` } : init.headers;
    // A refused document (nothing ran) gets the status of /graphql for the same Accept (media-type.ts).
    const status = res.locals.refused && init.status === 200 ? requestErrorStatus(req.headers.accept) : init.status;
    res.writeHead(status, status === init.status ? init.statusText : undefined, headers).end(body);
  });
  return router;
}

/** API key, then the key's rate limit; answers the refusal itself and returns null. */
async function authenticate(deps: PartnerDeps, req: Request, res: Response): Promise<PartnerSession | null> {
  const fail = (code: ErrorCode, message: string) => {
    sendErrors(req, res, STATUS[code] ?? 400, [{ message, extensions: { code, errorCode: ERROR_CATALOG[code] } }]);
    return null;
  };
  const key = req.header('x-api-key');
  if (!key) return fail('UNAUTHENTICATED', 'Missing API key (x-api-key header)');
  // Only for the key's usage audit; the handler checks its type.
  const opName = (req.method === 'GET' ? req.query : (req.body ?? {})).operationName;
  const session = await exchange(deps, key, typeof opName === 'string' ? opName : undefined);
  if ('error' in session) return fail(session.error.code, session.error.message);
  // Known from here on, so the usage log (gateway/use-api-usage.ts) records a rate-limited request too.
  res.locals.session = session;
  const rate = await deps.rateLimit(session.keyId, session.rateLimitPerMinute);
  res.setHeader('RateLimit-Limit', String(rate.limit));
  res.setHeader('RateLimit-Remaining', String(rate.remaining));
  res.setHeader('RateLimit-Reset', String(rate.resetSeconds));
  if (!rate.allowed) {
    res.setHeader('Retry-After', String(rate.resetSeconds));
    deps.log.info({ requestId: req.headers['x-request-id'], keyId: session.keyId }, 'partner key rate limited');
    return fail('RATE_LIMITED', `Rate limit of ${rate.limit} requests per minute exceeded`);
  }
  return session;
}

/**
 * Which document the request runs (trusted-documents.ts) when that needs deciding:
 * the key runs only registered documents, or the request names a hash. Returns
 * the URL to handle (a GET by hash gets the registered text in `query`; a POST's
 * body is completed in place) or the refusal. Malformed requests are left to
 * graphql-http, which refuses them with its own clear 400.
 */
async function admitDocument(
  req: Request,
  session: PartnerSession,
  resolve: ReturnType<typeof useTrustedDocuments>,
): Promise<{ url: string } | Extract<DocumentDecision, { error: unknown }>> {
  const url = req.originalUrl;
  const get = req.method === 'GET';
  const raw: unknown = get ? req.query : req.body;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { url };
  const params = raw as { query?: unknown; extensions?: unknown };
  let extensions = params.extensions;
  if (get && typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      return { url };
    }
  }
  const hashed = !!extensions && typeof extensions === 'object' && (extensions as { persistedQuery?: unknown }).persistedQuery != null;
  if (!session.trustedDocumentsOnly && !hashed) return { url };
  const decided = await resolve({ query: params.query, extensions }, session);
  if ('error' in decided) return decided;
  if (decided.query === params.query) return { url };
  if (!get) {
    params.query = decided.query;
    return { url };
  }
  const rewritten = new URL(url, 'http://partner.invalid');
  rewritten.searchParams.set('query', decided.query);
  return { url: rewritten.pathname + rewritten.search };
}

/** Introspection from the public schema; everything else through the gateway as the key's tenant. */
async function run(deps: PartnerDeps, args: ExecutionArgs): Promise<ExecutionResult> {
  if (isIntrospection(args.document)) return execute({ ...args, schema: deps.publicSchema });
  const { session, requestId } = args.contextValue as PartnerContext;
  const result = await deps.apollo.executeOperation(
    { query: args.document, variables: (args.variableValues ?? {}) as Record<string, unknown>, operationName: args.operationName ?? undefined },
    { contextValue: createGatewayContext({ authorization: `Bearer ${session.accessToken}`, 'x-request-id': requestId }) },
  );
  if (result.body.kind === 'single') return result.body.singleResult as ExecutionResult;
  return { errors: [new AppError('INTERNAL', 'Internal server error')] };
}

/** A client's mistake: one info line with the codes, no stack, no document or variables. */
function logRefusal(log: Logger, req: Request, session: PartnerSession, codes: unknown[], status?: number) {
  log.info({ requestId: req.headers['x-request-id'], keyId: session.keyId, status, codes }, 'partner request refused');
}

function codesOf(body: string | null): unknown[] {
  try {
    return ((JSON.parse(body ?? '{}') as { errors?: { extensions?: { code?: string } }[] }).errors ?? []).map((e) => e.extensions?.code);
  } catch {
    return []; // a body-less answer (405, 406, 415)
  }
}

type Session = PartnerSession | { error: { code: ErrorCode; message: string } };

/** Asks the tenant subgraph (owner of API keys) to check the key and audit its use. */
async function exchange(deps: PartnerDeps, key: string, operationName?: string): Promise<Session> {
  try {
    const { body } = await askTenant<{ exchangeApiKey?: PartnerSession }>(deps.config, EXCHANGE, { k: key, o: operationName ?? null });
    if (body.data?.exchangeApiKey) return body.data.exchangeApiKey;
    const e = body.errors?.[0];
    const code = (e?.extensions?.code ?? 'UNAUTHENTICATED') as ErrorCode;
    return { error: { code: code in STATUS || code === 'BAD_USER_INPUT' ? code : 'UNAUTHENTICATED', message: e?.message ?? 'Invalid API key' } };
  } catch (err) {
    deps.log.error({ err }, 'API key exchange failed');
    return { error: { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable, try again' } };
  }
}
