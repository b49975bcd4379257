import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { AuthPayload } from './auth.type';

/** Who may reach auth's fields (docs/permissions.md); `*` is every field without its own entry. */
export const authRules: RuleTable = {
  Mutation: { login: 'public', refreshToken: 'public', logout: 'public' },
  AuthPayload: typeRules<AuthPayload>({ '*': 'public' }),
};
