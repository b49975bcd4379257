import { noProvisionState } from '../../core/tenancy/provision';
import { loadServiceEnv, type ServiceConfig } from '../../core/config';
import type { SubgraphDefinition } from '../../core/federation/build-subgraph';
import { startSubgraphServer, type RunningService, type SubgraphRuntime } from '../../core/server/subgraph-server';
import type { DbManager } from '../../core/tenancy/db';
import { PlatformMailResolver } from './platform-mail.resolver';
import { startDuesJob } from './automation-dues.job';
import { startMonthlyPackJob } from './monthly-pack/pack.job';
import { packClaimSchema } from './monthly-pack/pack.model';
import { startAutomationConsumers } from './automation.events';
import { automationSendSchema, automationSettingsSchema } from './automation.model';
import { AutomationResolver } from './automation.resolver';
import { BulkSendResolver } from './bulk.resolver';
import { bulkRecipientSchema, bulkSendSchema } from './bulk.model';
import { messagingEnv, outboundWebhookOptions, type ChannelConfig, type OutboundWebhookOptions, type WebhookConfig } from './messaging.env';
import { messageIndexSchema } from './message-index.model';
import { MessageResolver } from './message.resolver';
import { messageSchema } from './message.model';
import { startNotificationConsumer } from './notification.events';
import { NotificationResolver } from './notification.resolver';
import { defaultProviderFactory, type ProviderFactory } from './message.provider';
import { channelProviders } from './channel-router.provider';
import { notificationSchema } from './notification.model';
import { resolveStudentReference, StudentMessagesResolver } from './student.resolver';
import { TemplateResolver } from './template.resolver';
import { templateSchema } from './template.model';
import { webhookRoutes } from './webhook.routes';
import type { AutomationRuntime, MessagingServices } from './context';
import { messagingSubgraphModules, messagingSubgraphRules } from './rules';
import { DOMAIN_CONSUMERS } from '../events';
import { webhookAttemptSchema, webhookDeliverySchema } from './webhooks/delivery.model';
import { webhookEndpointSchema } from './webhooks/endpoint.model';
import { WebhookEndpointResolver } from './webhooks/endpoint.resolver';
import { startWebhookConsumers } from './webhooks/fanout.events';
import { startWebhookWorker } from './webhooks/worker.job';
import { WEBHOOK_DUE_COLLECTION } from './webhooks/due.service';
import { dueMarksSchema } from '../../core/jobs/due-marks';

export const name = 'messaging' as const;

/** Collections the messaging subgraph keeps in every tenant database. */
/** New tenants start with nothing but their collections here. */
export const onProvision = noProvisionState;

export const tenantSchemas = {
  Template: templateSchema,
  Message: messageSchema,
  Notification: notificationSchema,
  BulkSend: bulkSendSchema,
  BulkRecipient: bulkRecipientSchema,
  AutomationSettings: automationSettingsSchema,
  AutomationSend: automationSendSchema,
  WebhookEndpoint: webhookEndpointSchema,
  WebhookDelivery: webhookDeliverySchema,
  WebhookAttempt: webhookAttemptSchema,
  MonthlyPackClaim: packClaimSchema,
};
/** Platform-level: provider message id → tenant and message, for delivery reports. */
export const platformSchemas = { MessageIndex: messageIndexSchema, WebhookDueMark: dueMarksSchema(WEBHOOK_DUE_COLLECTION) };

/** Variables this subgraph reads besides loadConfig's (docker-compose.yml passes them: tests/compose.test.ts). */
export const ENV_VARS: readonly string[] = Object.keys(messagingEnv);

/** The domain events it emits (with their payloads) and the consumers it runs (./events.ts). */
export { messagingEvents as events } from './events';

/** Subscription fields the gateway serves for this subgraph (./subscriptions.ts). */
export { messagingSubscriptions as subscriptions } from './subscriptions';

export const definition: SubgraphDefinition = {
  rules: messagingSubgraphRules,
  modules: messagingSubgraphModules,
  resolvers: [
    TemplateResolver,
    MessageResolver,
    NotificationResolver,
    StudentMessagesResolver,
    BulkSendResolver,
    AutomationResolver,
    PlatformMailResolver,
    WebhookEndpointResolver,
  ],
  references: { Student: resolveStudentReference },
};

/** The rules its shield is built from (./rules.ts). */
export const rules = definition.rules;

export interface MessagingOptions extends SubgraphRuntime {
  /** A single delivery provider for every channel (tests); wins over `channels`. */
  provider?: ProviderFactory;
  /** Per-channel providers (MSG91, WhatsApp Cloud API, SMTP); channels left out log only. */
  channels?: ChannelConfig;
  /** Secrets of the delivery-report webhooks; a webhook without its secret answers 404. */
  webhooks?: WebhookConfig;
  /** DLT rules for SMS; default: on when SMS goes through MSG91. */
  dlt?: boolean;
  automation?: {
    /** Welcome and receipt on for tenants without saved settings; default: on, except with NODE_ENV=test. */
    defaultsOn?: boolean;
    /** Dues-reminder job period in ms; default 6 h (env MESSAGING_DUES_INTERVAL_MS), 0 = off; off in tests unless given. */
    duesIntervalMs?: number;
    /** Monthly pack job period in ms (monthly-pack/pack.job.ts); default 1 h (env MESSAGING_MONTHLY_PACK_INTERVAL_MS), 0 = off; off in tests unless given. */
    monthlyPackIntervalMs?: number;
  };
  /** Outbound webhooks; defaults from the environment (WEBHOOKS_*). The worker is off in tests unless `intervalMs` is given. */
  outbound?: Partial<OutboundWebhookOptions>;
}

export async function createServer(config: ServiceConfig, db?: DbManager, opts: MessagingOptions = {}): Promise<RunningService> {
  const routed = opts.channels ? channelProviders(opts.channels) : undefined;
  const runtime: AutomationRuntime = { defaultsOn: opts.automation?.defaultsOn ?? config.env !== 'test' };
  const duesIntervalMs = opts.automation?.duesIntervalMs ?? (config.env === 'test' ? 0 : loadServiceEnv(messagingEnv).MESSAGING_DUES_INTERVAL_MS);
  const packIntervalMs =
    opts.automation?.monthlyPackIntervalMs ?? (config.env === 'test' ? 0 : loadServiceEnv(messagingEnv).MESSAGING_MONTHLY_PACK_INTERVAL_MS);
  const services: MessagingServices = {
    messageProvider: opts.provider ?? routed?.factory ?? defaultProviderFactory,
    dlt: opts.dlt ?? opts.channels?.sms != null,
    automation: runtime,
    outbound: outboundWebhookOptions({ ...(config.env === 'test' ? { intervalMs: 0 } : {}), ...opts.outbound }),
  };
  const service = await startSubgraphServer<MessagingServices>({
    name,
    consumers: DOMAIN_CONSUMERS,
    config,
    db,
    pubsub: opts.pubsub,
    definition,
    tenantSchemas,
    onProvision,
    platformSchemas,
    services,
    routes: webhookRoutes(opts.webhooks ?? {}),
    onStart: async (deps) => {
      runtime.deps = deps;
      const stops = [startNotificationConsumer(deps), startAutomationConsumers(deps, runtime), startWebhookConsumers(deps)];
      const stopJob = duesIntervalMs > 0 ? startDuesJob(deps, runtime, duesIntervalMs) : undefined;
      const stopWorker = services.outbound!.intervalMs > 0 ? startWebhookWorker(deps) : undefined;
      const stopPack = packIntervalMs > 0 ? startMonthlyPackJob(deps, packIntervalMs) : undefined;
      return async () => {
        await Promise.all(stops.map((stop) => stop()));
        await stopJob?.();
        await stopPack?.();
        await stopWorker?.();
      };
    },
  });
  return {
    url: service.url,
    metricsUrl: service.metricsUrl,
    stop: async () => {
      await service.stop();
      routed?.close();
    },
  };
}
