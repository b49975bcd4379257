import type { ApolloServerPlugin } from '@apollo/server';
import type { AccessClaims } from '../auth/tokens';
import type { Logger } from '../logger';
import { operationLabel, type ServiceMetrics } from './metrics';

interface ObservedContext {
  requestId: string;
  auth: AccessClaims | null;
}

/**
 * One structured log line and metrics per GraphQL operation: request id, tenant,
 * user, operation name, duration, status and error code (the logger adds the
 * trace id). Variables are never logged (they carry passwords, phones, tokens).
 */
export function observabilityPlugin<C extends ObservedContext>(
  metrics: ServiceMetrics,
  log: Logger,
  /** Level of the per-request line for successes (errors are always `warn`). */
  level: 'info' | 'debug' = 'info',
): ApolloServerPlugin<C> {
  const seen = new Set<string>();
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = operationLabel(operationName ?? request.operationName, seen);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL'));
          const code = codes[0] ?? 'OK';
          metrics.requests.inc({ operation, code });
          for (const c of codes) metrics.errors.inc({ operation, code: c });
          metrics.duration.observe({ operation }, seconds);
          const auth = contextValue.auth;
          const line = {
            requestId: contextValue.requestId,
            tenant: auth?.tsl,
            user: auth?.sub,
            operation,
            durationMs: Math.round(seconds * 1000 * 10) / 10,
            status: response.http.status ?? 200,
            code,
          };
          if (codes.length) log.warn({ ...line, codes: [...new Set(codes)] }, 'graphql request failed');
          else log[level](line, 'graphql request');
        },
      };
    },
  };
}
