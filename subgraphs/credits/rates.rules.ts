import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach rates's fields (docs/permissions.md); `*` is every field without its own entry. */
export const ratesRules: RuleTable = {
  Mutation: { setTenantRate: 'platform:credits' },
};
