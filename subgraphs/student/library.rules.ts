import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Library, Occupancy } from './library.type';

/** Who may reach library's fields (docs/permissions.md); `*` is every field without its own entry. */
export const libraryRules: RuleTable = {
  Library: typeRules<Library, 'shifts'>({ '*': 'libraries:read', occupancy: 'attendance:read', shifts: 'libraries:read' }),
  Occupancy: typeRules<Occupancy>({ '*': 'attendance:read' }),
};
