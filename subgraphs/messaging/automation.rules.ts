import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { AutomationRule, AutomationSettings, DuesReminderReport, DuesReminderRule } from './automation.type';

/** Who may reach automation's fields (docs/permissions.md); `*` is every field without its own entry. */
export const automationRules: RuleTable = {
  Query: { automationSettings: 'messages:read' },
  Mutation: { updateAutomationSettings: 'templates:write', sendDuesReminders: 'messages:send' },
  AutomationSettings: typeRules<AutomationSettings>({ '*': 'messages:read' }),
  AutomationRule: typeRules<AutomationRule>({ '*': 'messages:read' }),
  DuesReminderRule: typeRules<DuesReminderRule>({ '*': 'messages:read' }),
  DuesReminderReport: typeRules<DuesReminderReport>({ '*': 'messages:send' }),
};
