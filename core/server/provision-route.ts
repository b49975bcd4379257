import type { Request, Response } from 'express';
import type { Connection } from 'mongoose';
import { createContext, type ContextDeps } from '../context';
import { hasPermission } from '../permissions/catalog';
import { provisionDatabase, type TenantSchemas } from '../tenancy/provision';
import { findTenant } from '../tenancy/registry';

/**
 * Internal API: the tenant subgraph asks each subgraph to create its collections
 * and indexes in a new tenant's database, on behalf of a platform caller; then
 * `after` (the subgraph's onProvision), e.g. state a new tenant starts with.
 */
export function provisionRoute(deps: ContextDeps, schemas: TenantSchemas, after?: (conn: Connection) => Promise<void>) {
  return async (req: Request, res: Response) => {
    const ctx = createContext(deps, req.headers);
    if (!ctx.auth || !hasPermission(ctx.auth.role, 'tenants:create')) {
      res.status(ctx.auth ? 403 : 401).json({ error: 'not allowed' });
      return;
    }
    const tenantId = (req.body as { tenantId?: unknown })?.tenantId;
    const tenant = typeof tenantId === 'string' ? await findTenant(deps.db.platform(), { id: tenantId }) : null;
    if (!tenant) {
      res.status(404).json({ error: 'tenant not found' });
      return;
    }
    try {
      const conn = deps.db.tenant(tenant.dbName);
      await provisionDatabase(conn, schemas);
      await after?.(conn);
      res.json({ provisioned: Object.keys(schemas) });
    } catch (err) {
      ctx.log.error({ err }, 'provisioning failed');
      res.status(500).json({ error: 'provisioning failed' });
    }
  };
}
