import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { Attendance } from './attendance.type';

/** Who may reach attendance's fields (docs/permissions.md); `*` is every field without its own entry. */
export const attendanceRules: RuleTable = {
  Query: { attendance: 'attendance:read' },
  Mutation: { checkIn: 'attendance:write', checkOut: 'attendance:write' },
  Attendance: typeRules<Attendance>({ '*': 'attendance:read' }),
};
