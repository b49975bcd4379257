import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { tenantRegistrySchema } from '../../core/tenancy/registry';
import { apiKeySchema } from './apikey.model';
import { ApiKeyResolver } from './apikey.resolver';
import { AuthResolver } from './auth.resolver';
import { LibraryResolver, resolveLibraryReference } from './library.resolver';
import { refreshTokenSchema } from './refresh-token.model';
import { resolveTenantReference, TenantResolver, tenantSubgraphSchemas } from './tenant.resolver';
import { platformUserSchema } from './user.model';
import { UserResolver, ViewerResolver } from './user.resolver';

export const definition: SubgraphDefinition = {
  resolvers: [TenantResolver, LibraryResolver, UserResolver, ViewerResolver, AuthResolver, ApiKeyResolver],
  references: { Tenant: resolveTenantReference, Library: resolveLibraryReference },
};

export function createServer(config: ServiceConfig, db?: DbManager, opts: SubgraphRuntime = {}) {
  return startSubgraphServer({
    name: 'tenant',
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas: tenantSubgraphSchemas,
    platformSchemas: { TenantRegistry: tenantRegistrySchema, PlatformUser: platformUserSchema, RefreshToken: refreshTokenSchema, ApiKey: apiKeySchema },
  });
}
