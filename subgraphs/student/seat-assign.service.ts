import type { StudentContext } from './context';
import { parseId, tryParseId } from '../../core/ids';
import { assertLibraryInScope } from '../../core/scope/library-scope';
import { BookingKind } from './booking.input';
import { MAX_BOOKING_DAYS, placeBooking, planBooking } from './booking.service';
import { requireLibrary } from './library.service';
import type { AssignSeatsInput } from './seat.input';
import { seatProblem } from './seat.service';
import { AssignmentStatus } from './seat.type';
import { studentLoader } from './student.loader';
import { hoursOf } from './shift.service';
import { dayRange } from './day.service';

/**
 * Books each row as its own booking over the date range and shift (or old slot). Rows run one
 * after another, so two rows for one seat give ASSIGNED then CONFLICT; each row
 * is all-or-nothing (claim.service.ts). Call-level input errors write nothing.
 */
export async function assignSeats(ctx: StudentContext, input: AssignSeatsInput) {
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  const days = dayRange(input.fromDate, input.toDate, MAX_BOOKING_DAYS, 'input.toDate');
  assertLibraryInScope(ctx, libraryId);
  const library = await requireLibrary(ctx, libraryId.toHexString());
  const draft = { kind: days.length === 1 ? BookingKind.DAILY : BookingKind.MONTHLY, days, hours: null };
  const plan = await planBooking(ctx, draft, { id: libraryId, hours: hoursOf(library) }, { shiftId: input.shiftId, slot: input.slot });

  const results = [];
  for (const [i, a] of input.assignments.entries()) {
    const base = { row: i + 1, studentId: a.studentId, seatNumber: a.seatNumber };
    const studentId = tryParseId(a.studentId);
    const invalid = (message: string) => ({ ...base, status: AssignmentStatus.INVALID, message, booking: null });
    if (!studentId) {
      results.push(invalid('studentId: must be a valid id'));
      continue;
    }
    const problem = await seatProblem(ctx, libraryId, library.capacity, a.seatNumber);
    if (problem) {
      results.push(invalid(`seatNumber: ${problem}`));
      continue;
    }
    if (!(await studentLoader(ctx).load(studentId.toHexString()))) {
      results.push(invalid('studentId: Student not found'));
      continue;
    }
    const res = await placeBooking(ctx, { studentId, libraryId, seatNumber: a.seatNumber }, plan);
    results.push(
      res.ok
        ? { ...base, status: AssignmentStatus.ASSIGNED, message: null, booking: res.booking }
        : {
            ...base,
            status: AssignmentStatus.CONFLICT,
            booking: null,
            message: res.taken === 'seat' ? 'The seat is booked for an overlapping time' : 'The student has a booking at an overlapping time',
          },
    );
  }
  return results;
}
