import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ERROR_CATALOG } from '../../core/errors';
import { requestErrorStatus, responseMediaType } from './media-type';
import { operationNameError } from './operation';

/** Apollo's codes for errors raised before execution, that is, the client's request was wrong. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'OPERATION_RESOLUTION_FAILURE']);

/**
 * GraphQL over HTTP on /graphql (Apollo Server): the operation to run is
 * settled before execution (several operations without operationName, or an
 * unknown name, is a request error, not a fault of the gateway), the response
 * has the media type the client accepts, and request errors get the status the
 * spec asks of that media type (gateway/http/media-type.ts).
 */
export function graphqlOverHttpPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ request }) {
      // executeOperation (the partner endpoint) has no HTTP request: nothing to negotiate.
      if (!request.http) return {};
      const accept = request.http.headers.get('accept');
      const mediaType = responseMediaType(accept);
      return {
        async didResolveOperation({ document, operation }) {
          if (!mediaType) {
            throw new GraphQLError('Accept must allow application/graphql-response+json or application/json', {
              extensions: { code: 'BAD_USER_INPUT', errorCode: ERROR_CATALOG.BAD_USER_INPUT, http: { status: 406 } },
            });
          }
          if (!operation) throw operationNameError(document, request.operationName);
        },
        async willSendResponse({ response, errors }) {
          if (!mediaType || response.body.kind !== 'single') return;
          response.http.headers.set('content-type', `${mediaType}; charset=utf-8`);
          const requestError =
            response.body.singleResult.data === undefined && !!errors?.length && errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)));
          if (requestError) response.http.status = requestErrorStatus(accept);
        },
      };
    },
  };
}
