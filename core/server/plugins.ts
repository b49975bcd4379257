import type { ApolloServerPlugin } from '@apollo/server';
import { ERROR_CATALOG } from '../errors';
import type { Logger } from '../logger';

const isKnown = (code: unknown) => typeof code === 'string' && code in ERROR_CATALOG && code !== 'INTERNAL';

/**
 * Logs unexpected errors with the request id (clients only see "Internal server
 * error") and echoes the request id in a header and on INTERNAL errors, so a
 * user's report can be matched to the log line.
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
