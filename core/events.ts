import type { Topic } from './pubsub';

export type { Topic } from './pubsub';

/**
 * The event mechanism services share; which events exist is the subgraphs' business.
 *
 * Two kinds, on purpose:
 * - **Realtime topics** (`Topic<P>`): live updates (occupancy, notifications for
 *   subscriptions, cache invalidation). Pub/sub, at most once: a process that is
 *   down misses them and loses nothing, because nothing has to be *done*. A topic
 *   carries its payload type, so `publish` and `subscribe` are checked. Core keeps
 *   only its own (`topics` below); a subgraph declares its topics in its `events.ts`
 *   with `tenantTopic<Payload>(name)`.
 * - **Domain events** (`DomainEvents`): facts that trigger work in another
 *   subgraph (welcome message, receipt, referral conversion, plan change,
 *   suspension). Durable: stored in the platform database by `emit` before the
 *   mutation answers, and delivered at least once to every consumer of the event
 *   by `useConsumer` (core/events/outbox.ts, docs/architecture.md "Domain events").
 *   Each subgraph's `events.ts` declares the events it emits (with their payloads)
 *   and the consumers it runs (`subgraphEvents<Payloads>()({ emits, consumers })`);
 *   subgraphs/events.ts gathers them into `DomainEvents` / `DomainConsumers` (below)
 *   and the runtime table `DOMAIN_CONSUMERS` the outbox fans out with.
 *
 * Tenant-scoped topics carry the tenant id in their name, so a subscriber can only
 * ever be attached to its own tenant's stream.
 */

/** A tenant-scoped realtime topic: `tenant:<tenantId>:<name>`. */
export type TenantTopic<P extends object> = (tenantId: string) => Topic<P>;
export const tenantTopic =
  <P extends object>(name: string): TenantTopic<P> =>
  (tenantId) =>
    `tenant:${tenantId}:${name}`;
/** A platform-wide realtime topic: `platform:<name>`. */
export const platformTopic = <P extends object>(name: string): Topic<P> => `platform:${name}`;

/** A tenant was suspended or reactivated (gateway closes sockets; caches clear). */
export type TenantStatusEvent = { tenantId: string; status: string; reason?: string };
/** A tenant's registry entry changed (plan, branding, modules, database): caches clear. */
export type TenantChangedEvent = { tenantId: string };
/** Audit record of a successful mutation (core/server/audit-plugin.ts), stored by the tenant subgraph. */
export type AuditEvent = {
  tenantId: string | null;
  service: string;
  action: string;
  userId: string;
  role: string;
  entityId: string | null;
  input: unknown;
  before: unknown;
  result: unknown;
  ip: string | null;
  requestId: string;
  at: string;
};
/** Wake-up for domain-event consumers. Only a latency hint: consumers also poll. */
export type EventsWake = { consumers: string[] };

/** The platform's own topics, used by core itself (tenant cache, audit plugin, outbox). */
export const topics = {
  tenantStatus: platformTopic<TenantStatusEvent>('tenant-status'),
  tenantChanged: platformTopic<TenantChangedEvent>('tenant-changed'),
  audit: platformTopic<AuditEvent>('audit'),
  eventsWake: platformTopic<EventsWake>('events-wake'),
};

/**
 * Every domain event and its payload (besides `tenantId`), filled in by subgraphs/events.ts
 * (module augmentation) from each subgraph's declared payloads. Payloads carry ids,
 * numbers and codes only — never names, phones or e-mails: they are stored, and the
 * operator CLI prints them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation (subgraphs/events.ts); a type alias could not be
export interface DomainEvents {}
/** Every consumer and the events it takes, filled in likewise from each subgraph's `consumers`. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by module augmentation (subgraphs/events.ts); a type alias could not be
export interface DomainConsumers {}

export type DomainEventName = keyof DomainEvents & string;
export type ConsumerName = keyof DomainConsumers & string;
/** The events consumer `C` takes. */
export type ConsumedBy<C extends ConsumerName> = DomainConsumers[C] extends readonly (infer N)[] ? N & DomainEventName : never;

/** Who consumes what, at run time: consumer name → the events it takes. */
export type ConsumerTable = Readonly<Record<string, readonly DomainEventName[]>>;

/**
 * A subgraph's events as its `events.ts` declares them (its `events` export): the domain
 * events it emits, and the consumers it runs (`<subgraph>.<purpose>` → the events each
 * takes, whichever subgraph emits them). `E` maps each emitted event to its payload.
 */
export interface SubgraphEvents<E extends object, C extends ConsumerTable = ConsumerTable> {
  emits: readonly (keyof E & string)[];
  consumers: C;
  /** Only a type: the payloads, read by subgraphs/events.ts. */
  readonly payloads?: E;
}

/** Any subgraph's events, payload types aside (the registry's view). */
export type EventDeclarations = { readonly emits: readonly string[]; readonly consumers: ConsumerTable };

/**
 * `subgraphEvents<Payloads>()({ emits, consumers })`: `emits` names each key of
 * `Payloads` once (`{ 'payment.recorded': true, ... }`, so the list and the types
 * cannot drift); `consumers` may name only declared events.
 */
export const subgraphEvents =
  <E extends object>() =>
  <const C extends ConsumerTable>(spec: { emits: { readonly [K in keyof E]-?: true }; consumers: C }): SubgraphEvents<E, C> => ({
    emits: Object.keys(spec.emits) as (keyof E & string)[],
    consumers: spec.consumers,
  });

/**
 * Every subgraph's consumers as one table (what `emit` fans out to). Throws when two
 * subgraphs run a consumer of the same name, or a consumer takes an event nobody emits.
 */
export function gatherConsumers(all: readonly EventDeclarations[]): ConsumerTable {
  const emitted = new Set(all.flatMap((s) => s.emits));
  const out: Record<string, readonly DomainEventName[]> = {};
  for (const { consumers } of all) {
    for (const [name, events] of Object.entries(consumers)) {
      if (out[name]) throw new Error(`Domain-event consumer ${name} is declared twice`);
      const unknown = events.filter((e) => !emitted.has(e));
      if (unknown.length) throw new Error(`Consumer ${name} takes ${unknown.join(', ')}, which no subgraph emits`);
      out[name] = events;
    }
  }
  return out;
}

/** The consumers in `table` that get a delivery of `name`. */
export const consumersOf = (table: ConsumerTable, name: DomainEventName): ConsumerName[] =>
  Object.keys(table).filter((c) => table[c].includes(name)) as ConsumerName[];

/** A domain event as emitted: its payload plus the tenant it belongs to. */
export type DomainEvent<N extends DomainEventName = DomainEventName> = DomainEvents[N] & { tenantId: string };

/**
 * Stores a domain event durably (resolves once written, throws if it could not
 * be). `key` is the event's natural key (e.g. the studentId of student.created):
 * emitting the same name and key again — a retried mutation — adds nothing.
 * Without a key the event gets a random id. Returns the event id `<name>:<key>`.
 */
export type Emit = <N extends DomainEventName>(name: N, payload: DomainEvent<N>, key?: string) => Promise<string>;
