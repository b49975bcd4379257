/**
 * Topic names and payloads of the events services exchange.
 *
 * Two kinds, on purpose:
 * - **Realtime topics** (`topics.*`): live updates (occupancy, notifications for
 *   subscriptions, cache invalidation). Pub/sub, at most once: a process that is
 *   down misses them and loses nothing, because nothing has to be *done*.
 * - **Domain events** (`DomainEvents`): facts that trigger work in another
 *   subgraph (welcome message, receipt, referral conversion, plan change,
 *   suspension). Durable: stored in the platform database by `emit` before the
 *   mutation answers, and delivered at least once to every consumer named in
 *   `DOMAIN_CONSUMERS` by `useConsumer` (core/events/outbox.ts,
 *   docs/architecture.md "Domain events").
 *
 * Tenant-scoped topics carry the tenant id in their name, so a subscriber can only
 * ever be attached to its own tenant's stream.
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
  /** Wake-up for domain-event consumers: { consumers: string[] }. Only a latency hint: consumers also poll. */
  eventsWake: 'platform:events-wake',
};

/**
 * Every domain event and its payload (besides `tenantId`). Payloads carry ids,
 * numbers and codes only — never names, phones or e-mails: they are stored, and
 * the operator CLI prints them.
 */
export interface DomainEvents {
  /** Billing recorded a fee payment (desk or gateway). Key: paymentId. */
  'payment.recorded': { paymentId: string; studentId: string };
  /** Student enrolled a student. Key: studentId. */
  'student.created': { studentId: string };
  /** A check-in filled a library to 90 %. Key: eventId (one per crossing). */
  'library.nearCapacity': { eventId: string; libraryId: string; occupied: number; capacity: number };
  /** Billing changed a tenant's effective SaaS plan; the tenant subgraph updates its registry. */
  'plan.changed': { plan: string; limits: { maxLibraries: number; maxStudents: number; maxStaff: number } };
  /**
   * Billing's SaaS dunning step: messaging notifies staff, the tenant subgraph e-mails the owners.
   * `amountDue` in paise; `payUrl` is a signed pay link (a bearer secret: the CLI masks it). Key: invoiceId:step.
   */
  'saas.dunning': {
    invoiceId: string; number: string; step: 'ISSUED' | 'OVERDUE' | 'SUSPENDED'; dueAt: string; graceEndsAt: string;
    amountDue: number; payUrl: string;
  };
  /** The grace period of an overdue SaaS invoice ended; the tenant subgraph suspends the tenant. Key: invoiceId. */
  'saas.suspend': { invoiceId: string };
  /** The overdue SaaS invoice was paid; the tenant subgraph reactivates the tenant. Key: invoiceId. */
  'saas.reactivate': { invoiceId: string };
}

export type DomainEventName = keyof DomainEvents;

/**
 * Who consumes what. `emit` writes one delivery per consumer listed here, so a
 * consumer added later starts with events emitted after its deployment. To add one:
 * a name `<subgraph>.<purpose>` here, and `useConsumer(deps, name, handler)` in
 * that subgraph's start-up. Its handler must be idempotent (at-least-once).
 */
export const DOMAIN_CONSUMERS = {
  /** student.created → welcome message (automation_sends key welcome:<studentId>). */
  'messaging.welcome': ['student.created'],
  /** payment.recorded → receipt (automation_sends key receipt:<paymentId>). */
  'messaging.receipt': ['payment.recorded'],
  /** Staff notifications (unique sourceKey per event). */
  'messaging.notifications': ['payment.recorded', 'student.created', 'library.nearCapacity', 'saas.dunning', 'saas.reactivate'],
  /** plan.changed → tenant registry plan and limits. */
  'tenant.plan': ['plan.changed'],
  /** saas.suspend / saas.reactivate → tenant status (status-claim chain). */
  'tenant.status': ['saas.suspend', 'saas.reactivate'],
  /** payment.recorded → referral conversion (reward unique per referee). */
  'student.referral': ['payment.recorded'],
  /** saas.dunning → e-mail to the tenant's owners (claim per invoice, step and owner). */
  'tenant.dunning': ['saas.dunning'],
} as const satisfies Record<string, readonly DomainEventName[]>;

export type ConsumerName = keyof typeof DOMAIN_CONSUMERS;
export const CONSUMER_NAMES = Object.keys(DOMAIN_CONSUMERS) as ConsumerName[];

/** The consumers that get a delivery of `name`. */
export const consumersOf = (name: DomainEventName): ConsumerName[] =>
  CONSUMER_NAMES.filter((c) => (DOMAIN_CONSUMERS[c] as readonly DomainEventName[]).includes(name));

/** A domain event as emitted: its payload plus the tenant it belongs to. */
export type DomainEvent<N extends DomainEventName = DomainEventName> = DomainEvents[N] & { tenantId: string };

/**
 * Stores a domain event durably (resolves once written, throws if it could not
 * be). `key` is the event's natural key (e.g. the studentId of student.created):
 * emitting the same name and key again — a retried mutation — adds nothing.
 * Without a key the event gets a random id. Returns the event id `<name>:<key>`.
 */
export type Emit = <N extends DomainEventName>(name: N, payload: DomainEvent<N>, key?: string) => Promise<string>;
