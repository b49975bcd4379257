import { subgraphEvents } from '../../core/events';

/** The domain events the tenant subgraph emits, with their payloads (besides tenantId). */
export type TenantEvents = {
  /** A partner API key was revoked: its webhook endpoints stop receiving; rotated (`replacedBy` = the new key): they move to it. Key: keyId. */
  'apikey.revoked': { keyId: string; replacedBy: string | null };
  /**
   * A partner API key expires within APIKEY_EXPIRY_NOTICE_DAYS (apikey-expiry.service.ts): once per key
   * and expiry. `userIds`: the tenant's users who may manage API keys (whom to notify). Key: keyId:expiresAt.
   */
  'apikey.expiring': { keyId: string; expiresAt: string; daysLeft: number; userIds: string[] };
};

/** The tenant subgraph emits apikey.revoked and apikey.expiring; it runs billing's consumers of the registry. */
export const tenantEvents = subgraphEvents<TenantEvents>()({
  emits: { 'apikey.revoked': true, 'apikey.expiring': true },
  consumers: {
    /** plan.changed → tenant registry plan and limits. */
    'tenant.plan': ['plan.changed'],
    /** saas.suspend / saas.reactivate → tenant status (status-claim chain). */
    'tenant.status': ['saas.suspend', 'saas.reactivate'],
    /** saas.dunning → e-mail to the tenant's owners (claim per invoice, step and owner). */
    'tenant.dunning': ['saas.dunning'],
  },
});
