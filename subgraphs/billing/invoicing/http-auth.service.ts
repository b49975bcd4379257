import type { Request, Response } from 'express';
import { createContext } from '../../../core/context';
import type { BillingContext, BillingDeps } from '../context';
import { AppError } from '../../../core/errors';
import { sendHttpError } from '../../../core/server/http-errors';
import { can, type Permission } from '../../../core/permissions/catalog';
import { disabledModule, moduleDisabled } from '../../../core/permissions/modules';
import type { TenantModule } from '../../../core/tenancy/registry';

/**
 * A plain HTTP route with the same rules as GraphQL: the Bearer token is verified
 * and the tenant resolved by core's context, then `permission` is checked with the
 * catalog's `can` (graphql-shield does not guard these routes), and the tenant's
 * `modules` as the shield would (core/permissions/modules.ts). Coded errors
 * answer with their HTTP status and code; anything else is 500 without detail.
 */
export function authedRoute(
  deps: BillingDeps,
  permission: Permission,
  handler: (ctx: BillingContext, req: Request, res: Response) => Promise<void>,
  modules: readonly TenantModule[] = [],
) {
  return (req: Request, res: Response) => {
    const ctx = createContext(deps, req.headers);
    const run = async () => {
      if (!ctx.auth) throw ctx.authError ?? new AppError('UNAUTHENTICATED', 'Authentication required');
      if (!can(ctx.auth, permission)) throw new AppError('FORBIDDEN', `Missing permission ${permission}`);
      const off = modules.length ? disabledModule(await ctx.tenant(), modules) : null;
      if (off) throw moduleDisabled(off);
      await handler(ctx, req, res);
    };
    run().catch((err: unknown) => sendHttpError(res, err, ctx.log));
  };
}
