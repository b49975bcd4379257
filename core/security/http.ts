import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import cors from 'cors';
import type { Express } from 'express';
import helmet from 'helmet';
import type { ServiceConfig } from '../config';

/**
 * Gateway HTTP hardening: security headers on every response (the explorer
 * router sets its own, stricter-for-its-needs CSP on its pages, which wins
 * because it is set later), and CORS only for the configured origins.
 */
export function hardenHttp(app: Express, config: ServiceConfig): void {
  if (config.security.trustProxy) app.set('trust proxy', config.security.trustProxy);
  app.use(
    helmet({
      // API responses are JSON: nothing may be loaded, framed or run from them.
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-site' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: config.env === 'production' ? { maxAge: 31536000, includeSubDomains: true } : false,
    }),
  );
  const allowed = new Set(config.security.corsOrigins);
  app.use(
    cors({
      // No Access-Control-Allow-Origin at all for an origin that is not listed.
      origin: (origin, done) => done(null, !!origin && allowed.has(origin)),
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'x-tenant', 'x-request-id', 'x-api-key', 'apollo-require-preflight'],
      exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
      maxAge: 600,
    }),
  );
}

/** RATE_LIMITED from a subgraph (login lockout) becomes HTTP 429 with Retry-After at the gateway. */
export function rateLimitStatusPlugin<C extends BaseContext>(onReject?: () => void): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const hit = response.body.singleResult.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
          if (!hit) return;
          const retry = Number(hit.extensions?.retryAfter);
          response.http.status = 429;
          if (retry > 0) response.http.headers.set('retry-after', String(Math.ceil(retry)));
          onReject?.();
        },
      };
    },
  };
}
