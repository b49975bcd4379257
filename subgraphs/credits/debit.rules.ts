import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach debit's fields (docs/permissions.md); `*` is every field without its own entry. */
export const debitRules: RuleTable = {
  // Internal (@inaccessible) API of the credits subgraph, called by messaging with the caller's token.
  Mutation: { debitCredits: 'messages:send', refundCredits: 'messages:send' },
};
