import { typeRules, type RuleTable } from '../../../core/permissions/rules';
import type { Shift } from './shift.type';

/** Who may reach shift's fields (docs/permissions.md); `*` is every field without its own entry. */
export const shiftRules: RuleTable = {
  // Reached through Query.shifts, Library.shifts, Booking.shift and `_entities` (billing's fee plans).
  Shift: typeRules<Shift, 'feePlans'>({ '*': 'libraries:read', feePlans: 'fees:summary' }),
};
