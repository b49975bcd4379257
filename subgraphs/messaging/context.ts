import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../core/auth/tokens';
import { createContext, type ContextDeps, type RequestContext } from '../../core/context';
import { SERVICE_ROLE } from '../../core/permissions/catalog';
import type { ProviderFactory } from './message.provider';
import type { OutboundWebhookOptions } from './messaging.env';

/** What automations need at run time; `deps` is set by onStart, before any request is served. */
export interface AutomationRuntime {
  deps?: MessagingDeps;
  /** Whether welcome and receipt are on for tenants that never saved settings. */
  defaultsOn: boolean;
}

/** What messaging's resolvers, services, consumers and routes find in `ctx.services` (index.ts createServer gives them). */
export interface MessagingServices {
  /** Builds the delivery provider of a request (one for every channel, or per channel: channel-router.provider.ts). */
  messageProvider: ProviderFactory;
  /**
   * DLT rules apply when SMS goes out through a DLT route (MSG91): SMS templates
   * then need DLT ids and approval, and free text cannot be sent as SMS.
   */
  dlt: boolean;
  automation: AutomationRuntime;
  /** Outbound webhooks: target guard, timing, retry schedule (subgraphs/messaging/webhooks); production defaults when left out. */
  outbound?: OutboundWebhookOptions;
}

export type MessagingContext = RequestContext<MessagingServices>;
/** Start-up dependencies of messaging's consumers, job and routes. */
export type MessagingDeps = ContextDeps<MessagingServices>;

/** Long enough for one batch of sends; each batch mints a fresh one. */
export const SERVICE_TOKEN_TTL_SECONDS = 300;

/**
 * A request context acting as the messaging service for one tenant, for work
 * no caller's token covers (domain events, scheduled reminders). Its token is
 * minted here with the JWT secret, role `service` (only what automations need,
 * see the catalog) and the tenant's id: every internal call (students, billing,
 * credits) is checked by the callee against that tenant and nothing else.
 */
export function serviceContext(deps: MessagingDeps, tenant: { id: string; slug: string }): MessagingContext {
  const token = signAccessToken(
    { sub: 'service:messaging', role: SERVICE_ROLE, tid: tenant.id, tsl: tenant.slug },
    deps.config.jwtSecret,
    SERVICE_TOKEN_TTL_SECONDS,
  );
  return createContext(deps, { authorization: `Bearer ${token}`, 'x-request-id': `auto-${randomUUID()}` });
}

/** The start-up deps automations act with; throws before onStart has run. */
export function runtimeDeps(runtime: AutomationRuntime): MessagingDeps {
  if (!runtime.deps) throw new Error('messaging automations are not started');
  return runtime.deps;
}
