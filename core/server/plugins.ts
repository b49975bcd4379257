import type { ApolloServerPlugin } from '@apollo/server';
import { ERROR_CATALOG } from '../errors';
import type { Logger } from '../logger';

/** Apollo's own codes for a wrong request: the client's mistake, not a fault to log with a stack. */
const APOLLO_REQUEST_CODES = new Set(['BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

const isKnown = (code: unknown) => typeof code === 'string' && ((code in ERROR_CATALOG && code !== 'INTERNAL') || APOLLO_REQUEST_CODES.has(code));

/**
 * Logs unexpected errors (real faults; clients only see "Internal server error")
 * at error level with the request id, and echoes the request id in a header and
 * on INTERNAL errors, so a user's report can be matched to the log line. Coded
 * errors are the client's mistakes or expected refusals: the observability
 * plugin's per-request line records them, without a stack.
 */
export function requestIdPlugin<C extends { requestId: string }>(log: Logger): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, request }) {
          for (const err of errors) {
            if (!isKnown(err.extensions?.code)) {
              log.error({ requestId: contextValue.requestId, operation: request.operationName, err: err.originalError ?? err }, 'unexpected error');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          response.http.headers.set('x-request-id', contextValue.requestId);
          if (response.body.kind !== 'single') return;
          for (const e of response.body.singleResult.errors ?? []) {
            if (e.extensions?.code === 'INTERNAL') (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}
