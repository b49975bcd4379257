import type { Permission } from '../../../core/permissions/catalog';

/** A webhook event type: its name on the wire, the permission (or partner scope) a subscriber needs, what it means. */
export interface WebhookEventSpec {
  type: string;
  /** An endpoint may subscribe only if its owner (user or partner key) holds this: payloads never carry more than the owner could read. */
  requires: Permission | null;
  description: string;
}

/** Every payload's version; a breaking change to a type's `data` adds a new version, never edits this one. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/**
 * Domain event → the webhook event partners receive (docs/partners.md "Webhooks").
 * The consumer `messaging.webhooks` takes exactly these keys (subgraphs/messaging/events.ts),
 * so a new type is ONE entry here: its `data` is the domain event's payload (ids, numbers,
 * dates only: core/events.ts) unless fanout.events.ts enriches it (`ticket.updated` was added
 * with its one line below when the tickets domain landed).
 */
export const WEBHOOK_SOURCES = {
  'payment.recorded': { type: 'payment.captured', requires: 'payments:read', description: 'A fee payment was recorded (desk or gateway); amount in paise.' },
  'student.created': { type: 'student.created', requires: 'students:list', description: 'A student was enrolled.' },
  'attendance.checkedIn': { type: 'attendance.checked_in', requires: 'attendance:read', description: 'A student checked in at a library.' },
  'membership.expiring': {
    type: 'membership.expiring',
    requires: 'fees:summary',
    description: 'A membership period ends within 3 days (once per membership period).',
  },
  'ticket.updated': { type: 'ticket.updated', requires: 'tickets:read', description: 'A ticket changed (created, status, assignment, comment, SLA breach).' },
  'apikey.expiring': {
    type: 'api_key.expiring',
    requires: 'apikeys:manage',
    description: 'A partner API key expires within 7 days (APIKEY_EXPIRY_NOTICE_DAYS; once per key and expiry): keyId, expiresAt, daysLeft.',
  },
} as const satisfies Record<string, WebhookEventSpec>;

export type WebhookSource = keyof typeof WEBHOOK_SOURCES;

/** The ping of pingWebhookEndpoint: sent to one endpoint on demand, never by subscription. */
export const PING_EVENT: WebhookEventSpec = { type: 'webhook.test', requires: null, description: 'A test ping (pingWebhookEndpoint).' };

/** Every type an endpoint may subscribe to, and the ping. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventSpec[] = [...Object.values(WEBHOOK_SOURCES), PING_EVENT];
