import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../core/auth/tokens';
import { createContext, type ContextDeps, type RequestContext } from '../../core/context';
import { SERVICE_ROLE } from '../../core/permissions/catalog';

/** Long enough for one batch of sends; each batch mints a fresh one. */
export const SERVICE_TOKEN_TTL_SECONDS = 300;

/**
 * A request context acting as the messaging service for one tenant, for work
 * no caller's token covers (domain events, scheduled reminders). Its token is
 * minted here with the JWT secret, role `service` (only what automations need,
 * see the catalog) and the tenant's id: every internal call (students, billing,
 * credits) is checked by the callee against that tenant and nothing else.
 */
export function serviceContext(deps: ContextDeps, tenant: { id: string; slug: string }): RequestContext {
  const token = signAccessToken(
    { sub: 'service:messaging', role: SERVICE_ROLE, tid: tenant.id, tsl: tenant.slug },
    deps.config.jwtSecret,
    SERVICE_TOKEN_TTL_SECONDS,
  );
  return createContext(deps, { authorization: `Bearer ${token}`, 'x-request-id': `auto-${randomUUID()}` });
}

/** What automations need at run time; `deps` is set by onStart, before any request is served. */
export interface AutomationRuntime {
  deps?: ContextDeps;
  /** Whether welcome and receipt are on for tenants that never saved settings. */
  defaultsOn: boolean;
}

export function runtimeDeps(runtime: unknown): ContextDeps {
  const deps = (runtime as AutomationRuntime | undefined)?.deps;
  if (!deps) throw new Error('messaging automations are not started');
  return deps;
}
