import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach debit's fields (docs/permissions.md); `*` is every field without its own entry. */
export const debitRules: RuleTable = {
  Mutation: { debitCredits: 'messages:send', refundCredits: 'messages:send' },
};
