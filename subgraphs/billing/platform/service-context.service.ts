import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../../core/auth/tokens';
import { createContext } from '../../../core/context';
import type { BillingContext, BillingDeps } from '../context';
import { SERVICE_ROLE } from '../../../core/permissions/catalog';

/** `sub` of billing's own tokens: credits delivers paid packages only to this caller. */
export const BILLING_SERVICE_SUB = 'service:billing';

/**
 * A request context acting as the billing service for one tenant, for work no
 * user's token covers (webhooks, the billing cycle): a short-lived `service` token
 * minted in-process, checked by the callee like any other.
 */
export function billingServiceContext(deps: BillingDeps, tenant: { id: string; slug: string }): BillingContext {
  const token = signAccessToken({ sub: BILLING_SERVICE_SUB, role: SERVICE_ROLE, tid: tenant.id, tsl: tenant.slug }, deps.config.jwtSecret, 300);
  return createContext(deps, { authorization: `Bearer ${token}`, 'x-request-id': `billing-${randomUUID()}` });
}
