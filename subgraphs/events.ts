import { gatherConsumers, type ConsumerName, type ConsumerTable } from '../core/events';
import { billingEvents, type BillingEvents } from './billing/events';
import { creditsEvents } from './credits/events';
import { messagingEvents } from './messaging/events';
import { studentEvents, type StudentEvents } from './student/events';
import { tenantEvents, type TenantEvents } from './tenant/events';

/**
 * Every subgraph's domain events, from their `events.ts` (declarations only: no resolvers
 * or servers, so each service can import this cheaply). Each subgraph's index.ts exports
 * its own as `events`; subgraphs/registry.ts re-exports what is built here.
 */
const ALL = [tenantEvents, studentEvents, billingEvents, creditsEvents, messagingEvents];

type TenantConsumers = typeof tenantEvents.consumers;
type StudentConsumers = typeof studentEvents.consumers;
type BillingConsumers = typeof billingEvents.consumers;
type CreditsConsumers = typeof creditsEvents.consumers;
type MessagingConsumers = typeof messagingEvents.consumers;

// The system's event and consumer types (core/events.ts): an event declared twice with
// different payloads, or a consumer name used twice differently, does not compile.
declare module '../core/events' {
  interface DomainEvents extends StudentEvents, BillingEvents, TenantEvents {}
  interface DomainConsumers extends TenantConsumers, StudentConsumers, BillingConsumers, CreditsConsumers, MessagingConsumers {}
}

/**
 * Which consumer gets which events: `emit` writes one delivery per consumer of the event
 * here, so a consumer added later starts with events emitted after its deployment.
 * Throws at start-up on a consumer name used twice or an event nobody emits.
 */
export const DOMAIN_CONSUMERS: ConsumerTable = gatherConsumers(ALL);
export const CONSUMER_NAMES = Object.keys(DOMAIN_CONSUMERS) as ConsumerName[];
