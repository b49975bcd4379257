import type { RuleTable } from '../../core/permissions/rules';

/** Who may reach platform-mail's fields (docs/permissions.md); `*` is every field without its own entry. */
export const platformMailRules: RuleTable = {
  Mutation: { sendPlatformMail: 'accounts:notify' },
};
