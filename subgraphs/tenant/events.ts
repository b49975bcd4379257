import { subgraphEvents } from '../../core/events';

/** The domain events the tenant subgraph emits, with their payloads (besides tenantId). */
export type TenantEvents = {
  /** A partner API key was revoked: its webhook endpoints stop receiving; rotated (`replacedBy` = the new key): they move to it. Key: keyId. */
  'apikey.revoked': { keyId: string; replacedBy: string | null };
};

/** The tenant subgraph emits apikey.revoked; it runs billing's consumers of the registry. */
export const tenantEvents = subgraphEvents<TenantEvents>()({
  emits: { 'apikey.revoked': true },
  consumers: {
    /** plan.changed → tenant registry plan and limits. */
    'tenant.plan': ['plan.changed'],
    /** saas.suspend / saas.reactivate → tenant status (status-claim chain). */
    'tenant.status': ['saas.suspend', 'saas.reactivate'],
    /** saas.dunning → e-mail to the tenant's owners (claim per invoice, step and owner). */
    'tenant.dunning': ['saas.dunning'],
  },
});
