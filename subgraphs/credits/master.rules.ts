import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach master's fields (docs/permissions.md); `*` is every field without its own entry. */
export const masterRules: RuleTable = {
  Query: { masterWallet: 'credits:rates', vendorPurchases: 'credits:rates' },
  Mutation: { purchaseCreditsFromVendor: 'platform:credits' },
};
