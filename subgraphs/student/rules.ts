import { mergeRules } from '../../core/permissions/rules';
import { attendanceRules } from './attendance.rules';
import { attendanceStatsRules } from './attendance-stats.rules';
import { churnRules } from './churn.rules';
import { referralRules } from './referral.rules';
import { settingsRules } from './settings.rules';
import { bookingRules } from './booking.rules';
import { seatRules } from './seat.rules';
import { shiftRules } from './shift.rules';
import { studentRules } from './student.rules';
import { libraryRules } from './library.rules';
import { membershipRules } from './membership.rules';
import { studentImportRules } from './student-import.rules';
import { occupancyRules } from './occupancy.rules';

/** Every rule of the student subgraph, one file per entity beside its type (docs/architecture.md). */
export const studentSubgraphRules = mergeRules(
  attendanceRules,
  attendanceStatsRules,
  churnRules,
  referralRules,
  settingsRules,
  bookingRules,
  seatRules,
  shiftRules,
  studentRules,
  libraryRules,
  membershipRules,
  studentImportRules,
  occupancyRules,
);
