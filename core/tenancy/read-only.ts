import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { AppError } from '../errors';

/**
 * While `studyspot tenant move` copies a tenant's database, its registry entry
 * is `readOnly`: mutations of that tenant are refused up front (nothing written),
 * reads keep working. Callers without a tenant (platform operations) pass.
 */
export function readOnlyTenantPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue: ctx }) {
          if (operation?.operation !== 'mutation') return;
          const tenant = await ctx.tenant().catch(() => null);
          if (tenant?.readOnly) {
            throw new AppError('TENANT_READ_ONLY', 'This tenant is being moved and is read-only for a moment; retry shortly', {
              http: { status: 200 },
            });
          }
        },
      };
    },
  };
}
