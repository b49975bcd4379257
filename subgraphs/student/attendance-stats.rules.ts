import { typeRules, type RuleTable } from '../../core/permissions/rules';
import type { AttendanceDay, StudentAttendanceDay } from './attendance-stats.type';

/** Who may reach attendance-stats's fields (docs/permissions.md); `*` is every field without its own entry. */
export const attendanceStatsRules: RuleTable = {
  // Daily attendance: front desk too (attendance:read).
  Query: { attendanceStats: 'attendance:read', studentAttendance: 'attendance:read' },
  AttendanceDay: typeRules<AttendanceDay>({ '*': 'attendance:read' }),
  StudentAttendanceDay: typeRules<StudentAttendanceDay>({ '*': 'attendance:read' }),
};
