import { subgraphEvents } from '../../core/events';

/** The tenant subgraph emits no domain event; it runs billing's consumers of the registry. */
export const tenantEvents = subgraphEvents<Record<never, never>>()({
  emits: {},
  consumers: {
    /** plan.changed → tenant registry plan and limits. */
    'tenant.plan': ['plan.changed'],
    /** saas.suspend / saas.reactivate → tenant status (status-claim chain). */
    'tenant.status': ['saas.suspend', 'saas.reactivate'],
    /** saas.dunning → e-mail to the tenant's owners (claim per invoice, step and owner). */
    'tenant.dunning': ['saas.dunning'],
  },
});
