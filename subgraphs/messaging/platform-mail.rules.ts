import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach platform-mail's fields (docs/permissions.md); `*` is every field without its own entry. */
export const platformMailRules: RuleTable = {
  // Internal (@inaccessible) API of messaging, called by the tenant service with a service token.
  Mutation: { sendPlatformMail: 'accounts:notify' },
};
