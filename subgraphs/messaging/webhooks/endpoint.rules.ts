import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { WebhookAttempt, WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointSecret, WebhookEventType } from './endpoint.type';

/** Who may reach the webhook fields (docs/permissions.md): webhooks:manage (owners, managers, partner keys with the scope; a key sees its own only). */
export const webhookRules: RuleTable = {
  Query: {
    webhookEventTypes: 'webhooks:manage',
    webhookEndpoints: 'webhooks:manage',
    webhookEndpoint: 'webhooks:manage',
    webhookDeliveries: 'webhooks:manage',
    webhookDeliveryAttempts: 'webhooks:manage',
  },
  Mutation: {
    createWebhookEndpoint: 'webhooks:manage',
    updateWebhookEndpoint: 'webhooks:manage',
    disableWebhookEndpoint: 'webhooks:manage',
    enableWebhookEndpoint: 'webhooks:manage',
    deleteWebhookEndpoint: 'webhooks:manage',
    rotateWebhookSecret: 'webhooks:manage',
    pingWebhookEndpoint: 'webhooks:manage',
    replayWebhookDelivery: 'webhooks:manage',
  },
  WebhookEndpoint: typeRules<WebhookEndpoint>({ '*': 'webhooks:manage' }),
  WebhookEndpointSecret: typeRules<WebhookEndpointSecret>({ '*': 'webhooks:manage' }),
  WebhookEventType: typeRules<WebhookEventType>({ '*': 'webhooks:manage' }),
  WebhookDelivery: typeRules<WebhookDelivery>({ '*': 'webhooks:manage' }),
  WebhookDeliveryPage: typeRules<WebhookDeliveryPage>({ '*': 'webhooks:manage' }),
  WebhookAttempt: typeRules<WebhookAttempt>({ '*': 'webhooks:manage' }),
};
