import cors from 'cors';
import type { Express } from 'express';
import helmet from 'helmet';

export interface HttpHardeningOptions {
  /** Origins allowed by CORS (CORS_ORIGINS); any other origin gets no Access-Control-Allow-Origin at all. */
  corsOrigins: readonly string[];
  /** Proxy hops whose X-Forwarded-For is trusted for req.ip (TRUST_PROXY; 0 = none). */
  trustProxy: number;
  /** Strict-Transport-Security (production only: development runs on plain http). */
  hsts: boolean;
}

/**
 * Gateway HTTP hardening: security headers on every response (the explorer
 * router sets its own, stricter-for-its-needs CSP on its pages, which wins
 * because it is set later), and CORS only for the configured origins.
 * Call right after creating the express app (before any route).
 */
export function useHttpHardening(options: HttpHardeningOptions): (app: Express) => void {
  const allowed = new Set(options.corsOrigins);
  return (app) => {
    if (options.trustProxy) app.set('trust proxy', options.trustProxy);
    app.use(
      helmet({
        // API responses are JSON: nothing may be loaded, framed or run from them.
        contentSecurityPolicy: {
          useDefaults: false,
          directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
        },
        crossOriginResourcePolicy: { policy: 'same-site' },
        referrerPolicy: { policy: 'no-referrer' },
        strictTransportSecurity: options.hsts ? { maxAge: 31536000, includeSubDomains: true } : false,
      }),
    );
    app.use(
      cors({
        origin: (origin, done) => done(null, !!origin && allowed.has(origin)),
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ['content-type', 'authorization', 'x-tenant', 'x-request-id', 'x-api-key', 'apollo-require-preflight'],
        exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
        maxAge: 600,
      }),
    );
  };
}
