import { createHash } from 'node:crypto';
import { trusted, type Types } from 'mongoose';
import type { DomainEvent } from '../../../core/events';
import { startConsumer, type Delivery } from '../../../core/events/outbox';
import { tenantById } from '../../../core/tenancy/tenant-db';
import { receiptPayment } from '../billing.client';
import { serviceContext, type MessagingDeps } from '../context';
import { outboundWebhookOptions } from '../messaging.env';
import { WEBHOOK_PAYLOAD_VERSION, WEBHOOK_SOURCES, type WebhookSource } from './catalog.events';
import { disableEndpoint, enqueueDeliveries } from './delivery.service';
import { DisabledReason, EndpointStatus, webhookEndpointModel, type WebhookEndpointDoc } from './endpoint.model';
import { disabledNotifier } from './notice.service';
import { webhookDueMarks } from './due.service';

/** The webhook id of a domain event: the same for every endpoint, retry, replay and redelivery of it. */
export const webhookEventId = (domainEventId: string) => `evt_${createHash('sha256').update(domainEventId).digest('hex').slice(0, 32)}`;

type Scope = { deps: MessagingDeps; tenant: { id: string; slug: string } };

/**
 * `data` of each type: the domain event's own facts (ids, numbers, dates: never names,
 * phones or e-mails) unless enriched here. Returning null drops the event (nothing to say).
 */
const ENRICH: { [N in WebhookSource]?: (e: DomainEvent<N>, s: Scope) => Promise<Record<string, unknown> | null> } = {
  'payment.recorded': async (e, { deps, tenant }) => {
    const payment = await receiptPayment(serviceContext(deps, tenant), e.paymentId);
    if (!payment) return null;
    return { paymentId: e.paymentId, studentId: e.studentId, amount: payment.amount, currency: 'INR', invoiceNumber: payment.invoice?.number ?? null };
  },
  // Status and priority as the API spells them (TicketStatus / TicketPriority enum names: OPEN, IN_PROGRESS, HIGH).
  'ticket.updated': async (e) => ({ ...withoutTenant(e), status: e.status.toUpperCase(), priority: e.priority.toUpperCase() }),
  // Whom the tenant notifies is its own business: the key and its expiry only.
  'apikey.expiring': async (e) => ({ keyId: e.keyId, expiresAt: e.expiresAt, daysLeft: e.daysLeft }),
};

const withoutTenant = ({ tenantId: _tenantId, ...facts }: DomainEvent & Record<string, unknown>) => facts;

/** One domain event → one delivery per active endpoint subscribed to its type (unique per endpoint and event). */
async function fanOut(deps: MessagingDeps, { eventId, name, event }: Delivery<WebhookSource>) {
  const found = await tenantById(deps.db, event.tenantId, { active: true, cache: deps.tenantCache });
  if (!found) return;
  const type = WEBHOOK_SOURCES[name].type;
  const endpoints = await webhookEndpointModel(found.conn)
    .find({ status: EndpointStatus.ACTIVE, eventTypes: type }, { _id: 1 })
    .lean<Pick<WebhookEndpointDoc, '_id'>[]>();
  if (!endpoints.length) return;
  const { tenantId, ...facts } = event as DomainEvent & Record<string, unknown>;
  const enrich = ENRICH[name] as ((e: DomainEvent, s: Scope) => Promise<Record<string, unknown> | null>) | undefined;
  const data = enrich ? await enrich(event, { deps, tenant: { id: tenantId, slug: found.tenant.slug } }) : facts;
  if (!data) return;
  const id = webhookEventId(eventId);
  const now = new Date();
  const body = JSON.stringify({ type, version: WEBHOOK_PAYLOAD_VERSION, id, timestamp: now.toISOString(), tenantId, data });
  await enqueueDeliveries(
    found.conn,
    endpoints.map((e) => e._id as Types.ObjectId),
    { id, type, body },
    now,
  );
  // After the deliveries exist (see useDueMarks): a crash in between is repaired by this event's redelivery.
  await webhookDueMarks(deps).mark(tenantId, now);
}

/** apikey.revoked: a rotation hands the endpoints to the new key; a revocation disables them (owners notified). */
async function keyRevoked(deps: MessagingDeps, { event }: Delivery<'apikey.revoked'>) {
  const found = await tenantById(deps.db, event.tenantId);
  if (!found) return;
  const Endpoints = webhookEndpointModel(found.conn);
  if (event.replacedBy) {
    await Endpoints.updateMany({ apiKeyId: event.keyId }, { $set: { apiKeyId: event.replacedBy } });
    return;
  }
  const owned = await Endpoints.find({ apiKeyId: event.keyId, status: trusted({ $ne: EndpointStatus.DISABLED }) }, { _id: 1 }).lean<WebhookEndpointDoc[]>();
  const publish = (t: Parameters<typeof deps.pubsub.publish>[0], p: object) => deps.pubsub.publish(t, p).catch(() => undefined);
  const env = { conn: found.conn, notifyDisabled: disabledNotifier(found.conn, publish, event.tenantId) };
  for (const ep of owned) await disableEndpoint(env, ep._id, DisabledReason.KEY_REVOKED);
  // Ones disabled before (by a person, or failing) stay off for good too: enabling refuses KEY_REVOKED.
  await Endpoints.updateMany({ apiKeyId: event.keyId, status: EndpointStatus.DISABLED }, { $set: { disabledReason: DisabledReason.KEY_REVOKED } });
}

/** The durable consumers of outbound webhooks (messaging.webhooks, messaging.webhook-keys). Returns the stop. */
export function startWebhookConsumers(deps: MessagingDeps): () => Promise<void> {
  const consumers = [
    startConsumer(deps, 'messaging.webhooks', (d) => fanOut(deps, d)),
    startConsumer(deps, 'messaging.webhook-keys', (d) => keyRevoked(deps, d)),
  ];
  return async () => void (await Promise.all(consumers.map((c) => c.stop())));
}

export const webhookOptionsOf = (deps: MessagingDeps) => deps.services?.outbound ?? outboundWebhookOptions();
