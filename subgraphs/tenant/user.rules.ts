import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { User, Viewer } from './user.type';

/** Who may reach user's fields (docs/permissions.md); `*` is every field without its own entry. */
export const userRules: RuleTable = {
  Query: { me: 'authenticated', users: 'users:read' },
  Mutation: { createUser: 'users:create', updateUser: 'users:update', disableUser: 'users:update', createPlatformUser: 'platform:users' },
  Viewer: typeRules<Viewer>({ '*': 'authenticated' }),
  User: typeRules<User>({ '*': 'authenticated', email: 'users:read' }),
};
