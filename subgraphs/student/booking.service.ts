import { Types } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import type { BookSeatInput } from './booking.input';
import { YMD } from './booking.input';
import { bookingModel, cancelledKeyOf, slotKeyOf, studentDayKeyOf, toBooking, type BookingDoc } from './booking.model';
import { requireLibrary } from './library.service';
import { occupancyChanged } from './occupancy.events';
import { studentLoader } from './student.loader';

export async function listBookings(ctx: RequestContext, args: { studentId?: string; libraryId?: string; date?: string }) {
  const query: Record<string, unknown> = {};
  if (args.studentId) query.studentId = parseId(args.studentId, 'studentId');
  if (args.libraryId) query.libraryId = parseId(args.libraryId, 'libraryId');
  if (args.date != null) {
    if (!YMD.test(args.date)) throw badInput('date', 'must be YYYY-MM-DD');
    query.date = args.date;
  }
  const Booking = bookingModel(await ctx.tenantDb());
  const docs = await Booking.find(query).sort({ date: -1, _id: -1 }).limit(500).lean<BookingDoc[]>();
  return docs.map(toBooking);
}

/**
 * No read-then-write: the insert itself claims the seat (unique slotKey) and the
 * student's day (unique studentDayKey); of two concurrent requests one gets E11000.
 */
export async function bookSeat(ctx: RequestContext, input: BookSeatInput) {
  const studentId = parseId(input.studentId, 'input.studentId');
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  if (!(await studentLoader(ctx).load(studentId.toHexString()))) throw notFound('Student');
  const library = await requireLibrary(ctx, libraryId.toHexString());
  if (input.seatNumber > library.capacity) {
    throw badInput('input.seatNumber', `must be between 1 and ${library.capacity}`);
  }
  const Booking = bookingModel(await ctx.tenantDb());
  const slotKey = slotKeyOf(libraryId, input.seatNumber, input.date);
  try {
    const doc = await Booking.create({
      _id: new Types.ObjectId(),
      studentId,
      libraryId,
      seatNumber: input.seatNumber,
      date: input.date,
      status: 'confirmed',
      slotKey,
      studentDayKey: studentDayKeyOf(studentId, input.date),
    });
    await occupancyChanged(ctx, libraryId, 'booking');
    return toBooking(doc.toObject());
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    // Only to word the answer: which of the two keys was taken.
    if (await Booking.exists({ slotKey })) throw conflict('This seat is already booked for that date', 'input.seatNumber');
    throw conflict('The student already has a booking on that date', 'input.date');
  }
}

/** Frees both keys so the seat and the student's day can be booked again; idempotent. */
export async function cancelBooking(ctx: RequestContext, id: string) {
  const _id = parseId(id, 'id');
  const Booking = bookingModel(await ctx.tenantDb());
  const key = cancelledKeyOf(_id);
  const doc = await Booking.findOneAndUpdate(
    { _id, status: 'confirmed' },
    { $set: { status: 'cancelled', slotKey: key, studentDayKey: key } },
    { returnDocument: 'after' },
  ).lean<BookingDoc>();
  if (doc) {
    await occupancyChanged(ctx, doc.libraryId, 'booking_cancelled');
    return toBooking(doc);
  }
  const existing = await Booking.findById(_id).lean<BookingDoc>();
  if (!existing) throw notFound('Booking');
  return toBooking(existing);
}
