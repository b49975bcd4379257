import type { ModuleTable } from '../../core/permissions/modules';
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
import { ticketRules } from './tickets/ticket.rules';
import { ticketFileRules } from './tickets/ticket-file.rules';
import { studentFileRules } from './student-file.rules';
import { idProofRules } from './id-proof.rules';
import { studentAnalyticsRules } from './analytics/analytics.rules';
import { documentRules } from './documents/document.rules';

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
  ticketRules,
  ticketFileRules,
  studentFileRules,
  idProofRules,
  studentAnalyticsRules,
  documentRules,
);

/**
 * The tenant module(s) each field needs (core/permissions/modules.ts): the shield refuses
 * it with MODULE_DISABLED when the tenant has one switched off or its plan lacks it.
 * Only tenant data operations; `*` covers a whole type (entities reached through `_entities`).
 */
export const studentSubgraphModules: ModuleTable = {
  Query: {
    attendance: 'attendance',
    studentAttendance: 'attendance',
    attendanceStats: ['attendance', 'analytics'],
    churnRisk: 'analytics',
    occupancyHeatmap: 'analytics',
    studentActivity: 'analytics',
    studentRetention: 'analytics',
    bookings: 'bookings',
    seatAvailability: 'bookings',
    shiftOccupancy: 'attendance',
    attendanceSheet: 'attendance',
    attendanceExport: 'attendance',
  },
  Mutation: {
    checkIn: 'attendance',
    checkOut: 'attendance',
    bookSeat: 'bookings',
    createBooking: 'bookings',
    cancelBooking: 'bookings',
    assignSeats: 'bookings',
  },
  Subscription: { occupancyChanged: 'attendance' },
  Library: { occupancy: 'attendance' },
  Attendance: { '*': 'attendance' },
  Occupancy: { '*': 'attendance' },
  Booking: { '*': 'bookings' },
};
