import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Shift, ShiftOccupancy } from './shift.type';

/** Who may reach shift's fields (docs/permissions.md); `*` is every field without its own entry. */
export const shiftRules: RuleTable = {
  // Shifts: configuration is library data; per-shift occupancy counts check-ins like Library.occupancy.
  Query: { shifts: 'libraries:read', shiftOccupancy: 'attendance:read' },
  Mutation: { createShift: 'libraries:write', updateShift: 'libraries:write', retireShift: 'libraries:write' },
  Shift: typeRules<Shift>({ '*': 'libraries:read' }),
  ShiftOccupancy: typeRules<ShiftOccupancy>({ '*': 'attendance:read' }),
};
