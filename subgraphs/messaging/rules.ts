import type { ModuleTable } from '../../core/permissions/modules';
import { mergeRules } from '../../core/permissions/rules';
import { automationRules } from './automation.rules';
import { bulkRules } from './bulk.rules';
import { messageRules } from './message.rules';
import { notificationRules } from './notification.rules';
import { templateRules } from './template.rules';
import { studentRules } from './student.rules';
import { platformMailRules } from './platform-mail.rules';
import { webhookRules } from './webhooks/endpoint.rules';

/** Every rule of the messaging subgraph, one file per entity beside its type (docs/architecture.md). */
export const messagingSubgraphRules = mergeRules(
  automationRules,
  bulkRules,
  messageRules,
  notificationRules,
  templateRules,
  studentRules,
  platformMailRules,
  webhookRules,
);

/**
 * The tenant module(s) each field needs (core/permissions/modules.ts): the shield refuses
 * it with MODULE_DISABLED when the tenant has one switched off or its plan lacks it.
 * Only tenant data operations; `*` covers a whole type (entities reached through `_entities`).
 */
export const messagingSubgraphModules: ModuleTable = {
  Query: { templates: 'messaging', messages: 'messaging', bulkSend: 'messaging', automationSettings: 'messaging' },
  Mutation: {
    createTemplate: 'messaging',
    sendMessage: 'messaging',
    sendBulkMessage: 'messaging',
    updateAutomationSettings: 'messaging',
    sendDuesReminders: 'messaging',
  },
  Student: { messages: 'messaging', messageCount: 'messaging' },
  Message: { '*': 'messaging' },
  Template: { '*': 'messaging' },
  BulkSend: { '*': 'messaging' },
};
