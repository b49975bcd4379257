import type { ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { MessageResolver } from './message.resolver';
import { messageSchema } from './message.model';
import { startNotificationListeners } from './notification.events';
import { NotificationResolver } from './notification.resolver';
import { defaultProviderFactory, type ProviderFactory } from './provider';
import { notificationSchema } from './notification.model';
import { resolveStudentReference, StudentMessagesResolver } from './student.resolver';
import { TemplateResolver } from './template.resolver';
import { templateSchema } from './template.model';

/** Collections the messaging subgraph keeps in every tenant database. */
export const messagingTenantSchemas = { Template: templateSchema, Message: messageSchema, Notification: notificationSchema };

export const definition: SubgraphDefinition = {
  resolvers: [TemplateResolver, MessageResolver, NotificationResolver, StudentMessagesResolver],
  references: { Student: resolveStudentReference },
};

export interface MessagingOptions extends SubgraphRuntime {
  /** Delivery provider; defaults to the log-only development provider. */
  provider?: ProviderFactory;
}

export function createServer(config: ServiceConfig, db?: DbManager, opts: MessagingOptions = {}) {
  return startSubgraphServer({
    name: 'messaging',
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas: messagingTenantSchemas,
    services: { messageProvider: opts.provider ?? defaultProviderFactory },
    onStart: startNotificationListeners,
  });
}
