import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Message } from './message.type';

/** Who may reach message's fields (docs/permissions.md); `*` is every field without its own entry. */
export const messageRules: RuleTable = {
  Query: { messages: 'messages:read' },
  Mutation: { sendMessage: 'messages:send' },
  Message: typeRules<Message>({ '*': 'messages:read' }),
};
