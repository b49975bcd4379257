import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Notification } from './notification.type';

/** Who may reach notification's fields (docs/permissions.md); `*` is every field without its own entry. */
export const notificationRules: RuleTable = {
  Query: { notifications: 'notifications:read', notification: 'notifications:read' },
  Mutation: { markNotificationRead: 'notifications:read' },
  Subscription: { notificationReceived: 'notifications:read' },
  Notification: typeRules<Notification>({ '*': 'notifications:read' }),
};
