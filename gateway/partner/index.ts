import type { ApolloServer } from '@apollo/server';
import express, { Router, type Response } from 'express';
import { execute, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { ServiceConfig } from '../../core/config';
import { ERROR_CATALOG, type ErrorCode } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { signingHeaders } from '../../core/security/signing';
import { createGatewayContext, type GatewayContext } from '../context';
import { isIntrospection } from '../introspection';
import type { createKeyRateLimiter } from './rate-limit';
import { useTrustedDocuments } from './trusted-documents';

export interface PartnerDeps {
  apollo: ApolloServer<GatewayContext>;
  config: ServiceConfig;
  log: Logger;
  /** The public contract (schema/public.graphql): the only operations partners can run. */
  publicSchema: GraphQLSchema;
  validationRules: ValidationRule[];
  rateLimit: ReturnType<typeof createKeyRateLimiter>;
}

const EXCHANGE = `mutation($k: String!, $o: String) { exchangeApiKey(key: $k, operationName: $o) { accessToken keyId rateLimitPerMinute trustedDocumentsOnly } }`;
const STATUS: Partial<Record<string, number>> = { UNAUTHENTICATED: 401, TENANT_SUSPENDED: 403, RATE_LIMITED: 429, SERVICE_UNAVAILABLE: 503 };

const fail = (res: Response, code: ErrorCode | 'GRAPHQL_PARSE_FAILED', message: string, status = STATUS[code] ?? 400) =>
  void res.status(status).json({ errors: [{ message, extensions: { code, errorCode: ERROR_CATALOG[code] } }] });

/**
 * POST /partner/graphql: authenticated by an API key (x-api-key), rate
 * limited per key, and answering only operations valid against the public
 * contract — fields outside it are unknown here, not forbidden. Valid
 * operations run through the gateway as the key's tenant with a partner role.
 */
export function partnerRouter(deps: PartnerDeps): Router {
  const router = Router();
  const resolveDocument = useTrustedDocuments({ config: deps.config, log: deps.log });
  router.post('/', express.json({ limit: '100kb' }), async (req, res) => {
    const key = req.header('x-api-key');
    if (!key) return fail(res, 'UNAUTHENTICATED', 'Missing API key (x-api-key header)');
    const { variables, operationName } = (req.body ?? {}) as { variables?: unknown; operationName?: unknown };
    const opName = typeof operationName === 'string' ? operationName : undefined;

    const session = await exchange(deps, key, opName);
    if ('error' in session) return fail(res, session.error.code, session.error.message);
    const rate = await deps.rateLimit(session.keyId, session.rateLimitPerMinute);
    res.setHeader('RateLimit-Limit', String(rate.limit));
    res.setHeader('RateLimit-Remaining', String(rate.remaining));
    res.setHeader('RateLimit-Reset', String(rate.resetSeconds));
    if (!rate.allowed) {
      res.setHeader('Retry-After', String(rate.resetSeconds));
      return fail(res, 'RATE_LIMITED', `Rate limit of ${rate.limit} requests per minute exceeded`);
    }
    // Full document or registered hash; keys in trusted-documents mode run registered documents only (trusted-documents.ts).
    const decided = await resolveDocument(req.body ?? {}, session);
    if ('error' in decided) return fail(res, decided.error.code, decided.error.message, decided.error.status);
    const { query } = decided;

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return fail(res, 'GRAPHQL_PARSE_FAILED', (err as GraphQLError).message);
    }
    const errors = validate(deps.publicSchema, document, [...specifiedRules, ...deps.validationRules]);
    if (errors.length) {
      return void res.status(400).json({
        // No "Did you mean …": partners have the docs, and guesses are not part of the contract.
        errors: errors.map((e) => ({ message: e.message.replace(/ Did you mean .*$/, ''), extensions: { code: 'GRAPHQL_VALIDATION_FAILED', errorCode: ERROR_CATALOG.GRAPHQL_VALIDATION_FAILED } })),
      });
    }
    // Introspection is answered from the public schema itself, never the full graph.
    if (isIntrospection(document)) {
      return void res.json(await execute({ schema: deps.publicSchema, document, variableValues: variables as Record<string, unknown>, operationName: opName }));
    }
    const result = await deps.apollo.executeOperation(
      { query: document, variables: (variables ?? {}) as Record<string, unknown>, operationName: opName },
      { contextValue: createGatewayContext({ authorization: `Bearer ${session.accessToken}` }) },
    );
    res.json(result.body.kind === 'single' ? result.body.singleResult : { errors: [{ message: 'Unsupported response' }] });
  });
  return router;
}

type Session = { accessToken: string; keyId: string; rateLimitPerMinute: number; trustedDocumentsOnly: boolean } | { error: { code: ErrorCode; message: string } };

/** Asks the tenant subgraph (owner of API keys) to check the key and audit its use. */
async function exchange(deps: PartnerDeps, key: string, operationName?: string): Promise<Session> {
  try {
    const payload = JSON.stringify({ query: EXCHANGE, variables: { k: key, o: operationName ?? null } });
    const res = await fetch(deps.config.subgraphUrls.tenant!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signingHeaders(deps.config, payload) },
      body: payload,
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { data?: { exchangeApiKey?: Session }; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.data?.exchangeApiKey) return body.data.exchangeApiKey;
    const e = body.errors?.[0];
    const code = (e?.extensions?.code ?? 'UNAUTHENTICATED') as ErrorCode;
    return { error: { code: code in STATUS || code === 'BAD_USER_INPUT' ? code : 'UNAUTHENTICATED', message: e?.message ?? 'Invalid API key' } };
  } catch (err) {
    deps.log.error({ err }, 'API key exchange failed');
    return { error: { code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable, try again' } };
  }
}
