import { subgraphEvents, tenantTopic } from '../../core/events';

/** The domain events the student subgraph emits, with their payloads (besides tenantId). */
export type StudentEvents = {
  /** A student was enrolled. Key: studentId. */
  'student.created': { studentId: string };
  /** A check-in filled a library to 90 %. Key: eventId (one per crossing). */
  'library.nearCapacity': { eventId: string; libraryId: string; occupied: number; capacity: number };
  /** A student checked in (outbound webhooks). Key: attendanceId. `checkInAt` is ISO 8601. */
  'attendance.checkedIn': { attendanceId: string; studentId: string; libraryId: string; checkInAt: string };
};

export const studentEvents = subgraphEvents<StudentEvents>()({
  emits: { 'student.created': true, 'library.nearCapacity': true, 'attendance.checkedIn': true },
  consumers: {
    /** payment.recorded → referral conversion (reward unique per referee). */
    'student.referral': ['payment.recorded'],
  },
});

export type OccupancyChangeKind = 'check_in' | 'check_out' | 'booking' | 'booking_cancelled';
/** Realtime: a library's occupancy changed (check-in, check-out, booking); occupancyChanged listens. */
export const occupancyTopic = tenantTopic<{ libraryId: string; kind: OccupancyChangeKind }>('occupancy');
