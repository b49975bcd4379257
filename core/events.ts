/**
 * Topic names and payloads of the events services exchange. Tenant-scoped
 * topics carry the tenant id in their name, so a subscriber can only ever be
 * attached to its own tenant's stream.
 */
export const topics = {
  /** Check-in, check-out and booking changes: { libraryId, kind }. */
  occupancy: (tenantId: string) => `tenant:${tenantId}:occupancy`,
  /** A notification was stored: { id, userId | null }. */
  notification: (tenantId: string) => `tenant:${tenantId}:notification`,
  /** A tenant was suspended or reactivated: { tenantId, status }. */
  tenantStatus: 'platform:tenant-status',
  /** A tenant's registry entry changed (plan, branding, modules, database): { tenantId }. Clears tenant caches. */
  tenantChanged: 'platform:tenant-changed',
  /** Audit record of a successful mutation, stored by the tenant subgraph. */
  audit: 'platform:audit',
  /** Domain events for other subgraphs: { tenantId, ... }. */
  domain: (name: DomainEventName) => `events:${name}`,
};

export type DomainEventName = 'payment.recorded' | 'student.created' | 'library.nearCapacity'
  /** Billing changed a tenant's effective SaaS plan: { tenantId, plan, limits }; the tenant subgraph updates its registry. */
  | 'plan.changed'
  /** Billing's SaaS dunning: { tenantId, invoiceId, number, step: ISSUED | OVERDUE | SUSPENDED, dueAt, graceEndsAt }; messaging tells the owner. */
  | 'saas.dunning'
  /** Billing: the grace period of an overdue SaaS invoice ended: { tenantId, invoiceId }; the tenant subgraph suspends the tenant. */
  | 'saas.suspend'
  /** Billing: the overdue SaaS invoice was paid: { tenantId, invoiceId }; the tenant subgraph reactivates the tenant. */
  | 'saas.reactivate';

export interface DomainEvent {
  tenantId: string;
  [key: string]: unknown;
}
