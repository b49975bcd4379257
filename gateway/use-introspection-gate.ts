import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, BREAK, type DocumentNode } from 'graphql';
import { ERROR_CATALOG } from '../core/errors';
import { isPlatformRole } from '../core/permissions/catalog';
import type { GatewayContext } from './context';

export function isIntrospection(doc: DocumentNode): boolean {
  let found = false;
  visit(doc, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export interface IntrospectionGateOptions {
  /** Production: only platform staff may introspect /graphql (partners use /partner/graphql). */
  staffOnly: boolean;
}

/** Full-schema introspection on /graphql: open in development, platform staff only in production. */
export function useIntrospectionGate(options: IntrospectionGateOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, contextValue }) {
          if (!options.staffOnly || !isIntrospection(document)) return;
          if (contextValue.auth && isPlatformRole(contextValue.auth.role)) return;
          throw new GraphQLError('Introspection is disabled; partners use /partner/graphql', {
            extensions: { code: 'FORBIDDEN', errorCode: ERROR_CATALOG.FORBIDDEN, http: { status: 403 } },
          });
        },
      };
    },
  };
}
