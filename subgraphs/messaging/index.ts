import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type RunningService, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { BulkSendResolver } from './bulk.resolver';
import { bulkRecipientSchema, bulkSendSchema } from './bulk.model';
import type { ChannelConfig, WebhookConfig } from './config';
import { messageIndexSchema } from './message-index.model';
import { MessageResolver } from './message.resolver';
import { messageSchema } from './message.model';
import { startNotificationListeners } from './notification.events';
import { NotificationResolver } from './notification.resolver';
import { defaultProviderFactory, type ProviderFactory } from './provider';
import { channelProviders } from './provider.router';
import { notificationSchema } from './notification.model';
import { resolveStudentReference, StudentMessagesResolver } from './student.resolver';
import { TemplateResolver } from './template.resolver';
import { templateSchema } from './template.model';
import { webhookRoutes } from './webhooks';

/** Collections the messaging subgraph keeps in every tenant database. */
export const messagingTenantSchemas = {
  Template: templateSchema, Message: messageSchema, Notification: notificationSchema,
  BulkSend: bulkSendSchema, BulkRecipient: bulkRecipientSchema,
};
/** Platform-level: provider message id → tenant and message, for delivery reports. */
export const messagingPlatformSchemas = { MessageIndex: messageIndexSchema };

export const definition: SubgraphDefinition = {
  resolvers: [TemplateResolver, MessageResolver, NotificationResolver, StudentMessagesResolver, BulkSendResolver],
  references: { Student: resolveStudentReference },
};

export interface MessagingOptions extends SubgraphRuntime {
  /** A single delivery provider for every channel (tests); wins over `channels`. */
  provider?: ProviderFactory;
  /** Per-channel providers (MSG91, WhatsApp Cloud API, SMTP); channels left out log only. */
  channels?: ChannelConfig;
  /** Secrets of the delivery-report webhooks; a webhook without its secret answers 404. */
  webhooks?: WebhookConfig;
  /** DLT rules for SMS; default: on when SMS goes through MSG91. */
  dlt?: boolean;
}

export async function createServer(config: ServiceConfig, db?: DbManager, opts: MessagingOptions = {}): Promise<RunningService> {
  const routed = opts.channels ? channelProviders(opts.channels) : undefined;
  const service = await startSubgraphServer({
    name: 'messaging',
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas: messagingTenantSchemas,
    platformSchemas: messagingPlatformSchemas,
    services: {
      messageProvider: opts.provider ?? routed?.factory ?? defaultProviderFactory,
      dlt: opts.dlt ?? opts.channels?.sms != null,
    },
    routes: webhookRoutes(opts.webhooks ?? {}),
    onStart: startNotificationListeners,
  });
  return {
    url: service.url,
    stop: async () => {
      await service.stop();
      routed?.close();
    },
  };
}
