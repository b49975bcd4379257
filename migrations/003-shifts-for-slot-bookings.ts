import { trusted, type Connection, type Types } from 'mongoose';
import { bookingModel } from '../subgraphs/student/booking.model';
import { legacyShift } from '../subgraphs/student/shift-hours.service';
import { ensureSlotShift } from '../subgraphs/student/shift.service';
import { TimeSlot } from '../subgraphs/student/time-slot.type';
import type { Migration } from './types';

/** Slot bookings made before shifts: DAILY/MONTHLY (or kind-less, i.e. DAILY FULL_DAY) without a shiftId. */
const UNLINKED = { shiftId: null, kind: trusted({ $ne: 'hourly' }) };

/** Every library the student data knows of (students, bookings, seat maps); the tenant subgraph's collection is not read. */
async function knownLibraries(conn: Connection): Promise<Types.ObjectId[]> {
  const ids = new Map<string, Types.ObjectId>();
  for (const name of ['students', 'bookings', 'seats']) {
    const rows = await conn
      .db!.collection(name)
      .aggregate<{ _id: Types.ObjectId | null }>([{ $group: { _id: '$libraryId' } }])
      .toArray();
    for (const r of rows) if (r._id) ids.set(String(r._id), r._id);
  }
  return [...ids.values()];
}

/**
 * Shifts for tenants from before shifts: every library gets Morning 06:00–14:00,
 * Evening 14:00–22:00 and Full day 06:00–22:00 on all days (the hours the old slots
 * held, whatever the library's opening hours), each standing for its slot, and every
 * slot booking points at its slot's shift. Idempotent: shifts are found by their
 * unique slot key, bookings by a missing shiftId.
 */
export const shiftsForSlotBookings: Migration = {
  id: '003-shifts-for-slot-bookings',
  description: 'Create the fixed-slot shifts per library and set bookings.shiftId',
  async pending(conn) {
    return bookingModel(conn).countDocuments(UNLINKED);
  },
  async up(conn) {
    const Bookings = bookingModel(conn);
    let changed = 0;
    for (const libraryId of await knownLibraries(conn)) {
      for (const slot of Object.values(TimeSlot)) {
        const shift = await ensureSlotShift(conn, libraryId, legacyShift(slot));
        if (!shift) throw new Error(`no ${slot} shift for library ${libraryId.toHexString()}`);
        // Bookings written before kinds existed are DAILY FULL_DAY.
        const which = slot === TimeSlot.FULL_DAY ? { $or: [{ slot }, { kind: null }] } : { slot };
        const res = await Bookings.updateMany({ libraryId, ...UNLINKED, ...which }, { $set: { shiftId: shift._id } });
        changed += res.modifiedCount;
      }
    }
    return changed;
  },
};
