import { subgraphEvents, tenantTopic } from '../../core/events';
import { WEBHOOK_SOURCES, type WebhookSource } from './webhooks/catalog.events';

/** Messaging emits no domain event; its consumers turn others' events into messages and notifications. */
export const messagingEvents = subgraphEvents<Record<never, never>>()({
  emits: {},
  consumers: {
    /** student.created → welcome message (automation_sends key welcome:<studentId>). */
    'messaging.welcome': ['student.created'],
    /** payment.recorded → receipt (automation_sends key receipt:<paymentId>). */
    'messaging.receipt': ['payment.recorded'],
    /** Staff notifications (unique sourceKey per event). */
    'messaging.notifications': [
      'payment.recorded',
      'student.created',
      'library.nearCapacity',
      'saas.dunning',
      'saas.reactivate',
      'ticket.assigned',
      'ticket.slaBreached',
      'apikey.expiring',
    ],
    /** Outbound webhooks: each cataloged event → one delivery per subscribed endpoint (unique per endpoint and event). */
    'messaging.webhooks': Object.keys(WEBHOOK_SOURCES) as WebhookSource[],
    /** apikey.revoked → that key's webhook endpoints are disabled (KEY_REVOKED). */
    'messaging.webhook-keys': ['apikey.revoked'],
  },
});

/** Realtime: a notification was stored (userId null = for every staff member); notificationReceived listens. */
export const notificationTopic = tenantTopic<{ id: string; userId: string | null }>('notification');
