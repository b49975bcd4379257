import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { BulkSend, BulkSendRecipient } from './bulk.type';

/** Who may reach bulk's fields (docs/permissions.md); `*` is every field without its own entry. */
export const bulkRules: RuleTable = {
  Query: { bulkSend: 'messages:read' },
  Mutation: { sendBulkMessage: 'messages:send' },
  BulkSend: typeRules<BulkSend>({ '*': 'messages:read' }),
  BulkSendRecipient: typeRules<BulkSendRecipient>({ '*': 'messages:read' }),
};
