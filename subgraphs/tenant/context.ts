import type { ContextDeps, RequestContext } from '../../core/context';
import type { LoginGuard } from '../../core/security/login-guard';
import type { Accounts } from './account-limits.service';
import type { ObjectStore } from '../../core/storage/object-store';

/** What the tenant subgraph's resolvers find in `ctx.services` (index.ts createServer gives them). */
export interface TenantServices {
  /** Base domain of `<slug>.<domain>` tenant hosts (tenantBranding). */
  platformDomain: string;
  /** Failed-login counter per account and IP (core/security/login-guard.ts). */
  loginGuard: LoginGuard;
  /** Password reset and TOTP limits and settings (account-limits.service.ts). */
  accounts: Accounts;
  /** Library photos and the tenant logo (core/storage); null when the deployment has no object storage. */
  storage: ObjectStore | null;
}

export type TenantContext = RequestContext<TenantServices>;
/** Start-up dependencies of the tenant subgraph's consumers and routes. */
export type TenantDeps = ContextDeps<TenantServices>;
