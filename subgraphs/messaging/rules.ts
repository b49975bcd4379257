import { mergeRules } from '../../core/permissions/rules';
import { automationRules } from './automation.rules';
import { bulkRules } from './bulk.rules';
import { messageRules } from './message.rules';
import { notificationRules } from './notification.rules';
import { templateRules } from './template.rules';
import { studentRules } from './student.rules';
import { platformMailRules } from './platform-mail.rules';

/** Every rule of the messaging subgraph, one file per entity beside its type (docs/architecture.md). */
export const messagingSubgraphRules = mergeRules(
  automationRules,
  bulkRules,
  messageRules,
  notificationRules,
  templateRules,
  studentRules,
  platformMailRules,
);
