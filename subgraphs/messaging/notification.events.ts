import type { MessagingDeps } from './context';
import { Types } from 'mongoose';
import type { ConsumedBy, DomainEvent, Topic } from '../../core/events';
import { startConsumer } from '../../core/events/outbox';
import { tenantById } from '../../core/tenancy/tenant-db';
import { createNotification, type NewNotification } from './notification.service';

const DUNNING_TITLES: Record<string, string> = {
  ISSUED: 'Subscription renewal invoice issued',
  OVERDUE: 'Subscription payment overdue',
  SUSPENDED: 'Account suspended for an unpaid invoice',
};

type Notified = ConsumedBy<'messaging.notifications'>;

const SLA_CLOCKS: Record<string, string> = { first_response: 'first response', resolution: 'resolution' };

/** What each domain event becomes (one or several addressees); bodies carry no personal data or amounts (staff may lack those permissions). */
const RULES: { [N in Notified]: (e: DomainEvent<N>) => NewNotification | NewNotification[] } = {
  'payment.recorded': (e) => ({
    type: 'PAYMENT_RECEIVED',
    title: 'Payment received',
    body: 'A fee payment was recorded.',
    studentId: oid(e.studentId),
    sourceKey: `payment:${String(e.paymentId)}`,
  }),
  'student.created': (e) => ({
    type: 'STUDENT_CREATED',
    title: 'New student',
    body: 'A new student was enrolled.',
    studentId: oid(e.studentId),
    sourceKey: `student:${String(e.studentId)}`,
  }),
  'library.nearCapacity': (e) => ({
    type: 'LIBRARY_NEAR_CAPACITY',
    title: 'Library nearly full',
    body: `${Number(e.occupied)} of ${Number(e.capacity)} seats are taken.`,
    sourceKey: `near-capacity:${String(e.eventId)}`,
  }),
  // The platform's SaaS dunning: one notification per invoice and step (amounts stay in saasAccount, for billing:manage).
  'saas.dunning': (e) => ({
    type: 'SAAS_PAYMENT_DUE',
    title: DUNNING_TITLES[String(e.step)] ?? 'Subscription payment due',
    body: `Invoice ${String(e.number)} is unpaid. Pay it before ${String(e.graceEndsAt).slice(0, 10)} to keep StudySpot running.`,
    sourceKey: `saas-dunning:${String(e.invoiceId)}:${String(e.step)}`,
  }),
  // Suspension itself is the tenant subgraph's (no notification: a suspended tenant's staff cannot read them).
  'saas.reactivate': (e) => ({
    type: 'SAAS_REACTIVATED',
    title: 'Subscription payment received',
    body: 'Thank you: the overdue invoice is paid and the account is active again.',
    sourceKey: `saas-reactivated:${String(e.invoiceId)}`,
  }),
  // Complaints desk: the assignee hears of a ticket given to them; a breach reaches the assignee and the library's managers.
  'ticket.assigned': (e) => ({
    type: 'TICKET_ASSIGNED',
    title: `Ticket ${e.number} assigned to you`,
    body: `Ticket ${e.number} is yours to work.`,
    userId: e.assigneeId,
    sourceKey: `ticket-assigned:${e.eventId}`,
  }),
  // A partner API key about to expire: those who may manage keys, once per key and expiry (no name: ids and dates only).
  'apikey.expiring': (e) =>
    e.userIds.map((userId) => ({
      type: 'API_KEY_EXPIRING',
      title: `An API key expires within ${e.daysLeft} day${e.daysLeft === 1 ? '' : 's'}`,
      body: `API key ${e.keyId} stops working on ${e.expiresAt.slice(0, 10)}. Create a key with a later expiry (createApiKey) and revoke this one before then, so partner calls keep working.`,
      userId,
      sourceKey: `apikey-expiring:${e.keyId}:${e.expiresAt}:${userId}`,
    })),
  'ticket.slaBreached': (e) =>
    e.userIds.map((userId) => ({
      type: 'TICKET_SLA_BREACHED',
      title: `Ticket ${e.number} missed its ${SLA_CLOCKS[e.kind] ?? e.kind} target`,
      body: `The ${e.priority} priority ticket ${e.number} is past its ${SLA_CLOCKS[e.kind] ?? e.kind} due time.`,
      userId,
      sourceKey: `ticket-sla:${e.breachId}:${userId}`,
    })),
};

/**
 * Turns other subgraphs' domain events into notifications (an explicit event
 * channel instead of reading their collections): the durable consumer
 * `messaging.notifications`; the unique sourceKey makes a redelivery a no-op.
 */
export function startNotificationConsumer(deps: MessagingDeps): () => Promise<void> {
  const publish = <P extends object>(topic: Topic<P>, payload: P) =>
    deps.pubsub.publish(topic, payload).catch((err: unknown) => deps.log.error({ err, topic }, 'event not published'));
  const consumer = startConsumer(deps, 'messaging.notifications', async ({ name, event }) => {
    const notifications = [(RULES[name] as (e: DomainEvent) => NewNotification | NewNotification[])(event)].flat();
    const found = await tenantById(deps.db, event.tenantId);
    if (!found) return;
    for (const n of notifications) await createNotification(found.conn, publish, event.tenantId, n);
  });
  return () => consumer.stop();
}

function oid(v: unknown): Types.ObjectId | null {
  return typeof v === 'string' && Types.ObjectId.isValid(v) ? new Types.ObjectId(v) : null;
}
