import { trusted, type Types } from 'mongoose';
import type { StudentContext } from './context';
import { parseId } from '../../core/ids';
import { assertLibraryInScope } from '../../core/scope/library-scope';
import { attendanceModel } from './attendance.model';
import { getLibrary } from './tenant.client';
import { heldSeats } from './seat.service';
import { shiftSpan } from './shift-hours.service';
import type { Shift } from './shift.service';
import { hoursOf, shiftsOf } from './shift.service';
import { weekdayOf } from './shift.type';
import { istMidnight } from '../../core/tenant-time';

const MINUTE = 60_000;
/** Shift times are Asia/Kolkata wall-clock (UTC+05:30, no daylight saving). */
const windowOf = (day: string, shift: Shift) => {
  const midnight = istMidnight(day);
  const span = shiftSpan(shift.startTime, shift.endTime);
  return { from: midnight + span.start * MINUTE, to: midnight + span.end * MINUTE, span };
};

interface Visit {
  checkInAt: Date;
  checkOutAt: Date | null;
}

/**
 * Per active shift running that day: seats its bookings hold against capacity, and
 * visits (check-ins) overlapping its window, open visits counting up to now.
 */
export async function shiftOccupancy(ctx: StudentContext, libraryId: string, day: string) {
  const _id = parseId(libraryId, 'libraryId');
  assertLibraryInScope(ctx, _id.toHexString());
  const lib = await getLibrary(ctx, _id.toHexString());
  const shifts = (await shiftsOf(ctx, _id, hoursOf(lib))).filter((s) => s.days.includes(weekdayOf(day)));
  if (!shifts.length) return [];
  const windows = shifts.map((s) => windowOf(day, s));
  const visits = await visitsBetween(ctx, _id, Math.min(...windows.map((w) => w.from)), Math.max(...windows.map((w) => w.to)));
  const now = Date.now();
  const capacity = lib.capacity;
  return Promise.all(
    shifts.map(async (shift, i) => {
      const w = windows[i];
      // Seats above a since-reduced capacity do not count.
      const held = new Set((await heldSeats(ctx, _id, day, w.span.start / 60, w.span.end / 60)).map((r) => r.seatNumber));
      const booked = [...held].filter((n) => n <= capacity).length;
      const checkedIn = visits.filter((v) => v.checkInAt.getTime() < w.to && (v.checkOutAt?.getTime() ?? now) > w.from).length;
      return {
        shift,
        date: day,
        capacity,
        booked,
        free: capacity - booked,
        checkedIn,
        percent: capacity ? Math.min(100, Math.round((checkedIn / capacity) * 1000) / 10) : 0,
        current: now >= w.from && now < w.to,
      };
    }),
  );
}

async function visitsBetween(ctx: StudentContext, libraryId: Types.ObjectId, from: number, to: number): Promise<Visit[]> {
  const Attendance = attendanceModel(await ctx.tenantDb());
  return Attendance.find(
    { libraryId, checkInAt: trusted({ $lt: new Date(to) }), $or: [{ checkOutAt: null }, { checkOutAt: trusted({ $gt: new Date(from) }) }] },
    { checkInAt: 1, checkOutAt: 1 },
  ).lean<Visit[]>();
}
