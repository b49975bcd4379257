import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Library, NearbyLibrary } from './library.type';

/** Who may reach library's fields (docs/permissions.md); `*` is every field without its own entry. */
export const libraryRules: RuleTable = {
  Query: { library: 'libraries:read', libraries: 'libraries:read', librariesNear: 'libraries:read' },
  Mutation: {
    createLibrary: 'libraries:write',
    updateLibrary: 'libraries:write',
    approveLibrary: 'libraries:approve',
    rejectLibrary: 'libraries:approve',
    suspendLibrary: 'libraries:approve',
    reactivateLibrary: 'libraries:approve',
  },
  Library: typeRules<Library>({ '*': 'libraries:read' }),
  NearbyLibrary: typeRules<NearbyLibrary>({ '*': 'libraries:read' }),
};
