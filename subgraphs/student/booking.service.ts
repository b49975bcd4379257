import { Types } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { badInput, conflict, notFound } from '../../core/errors';
import { parseId, tryParseId } from '../../core/ids';
import { assertLibraryInScope, libraryQuery, libraryScopeFilter } from '../../core/scope/library-scope';
import { BookingKind, type BookSeatInput, type CreateBookingInput } from './booking.input';
import { bookingModel, cancelledKeyOf, ownKeyOf, toBooking, type BookingDoc } from './booking.model';
import { claimAll, claimDocs, releaseClaims, type ClaimResult } from './claim.service';
import { requireLibrary } from './library.service';
import { occupancyChanged } from './occupancy.events';
import { requireSeat } from './seat.service';
import { studentLoader } from './student.loader';
import { addDays, daysBetween, parseDay, SLOT_HOURS, TimeSlot, YMD } from './time';

export const MAX_BOOKING_DAYS = 31;

export async function listBookings(ctx: RequestContext, args: { studentId?: string; libraryId?: string; date?: string }) {
  const query: Record<string, unknown> = libraryQuery(ctx, args.libraryId ? parseId(args.libraryId, 'libraryId') : null, 'libraryId', tryParseId);
  if (args.studentId) query.studentId = parseId(args.studentId, 'studentId');
  if (args.date != null) {
    if (!YMD.test(args.date)) throw badInput('date', 'must be YYYY-MM-DD');
    query.date = args.date;
  }
  const Booking = bookingModel(await ctx.tenantDb());
  const docs = await Booking.find(query).sort({ date: -1, _id: -1 }).limit(500).lean<BookingDoc[]>();
  return docs.map(toBooking);
}

/** What a booking holds, validated: days and the hours [fromHour, toHour) of each. */
export interface BookingPlan {
  kind: BookingKind;
  slot: TimeSlot | null;
  days: string[];
  fromHour: number;
  toHour: number;
}

export function planBooking(input: CreateBookingInput, prefix = 'input'): BookingPlan {
  const date = parseDay(input.date, `${prefix}.date`);
  if (input.kind === BookingKind.HOURLY) {
    if (input.fromHour == null || input.toHour == null) throw badInput(`${prefix}.fromHour`, 'HOURLY needs fromHour and toHour');
    if (input.toHour <= input.fromHour) throw badInput(`${prefix}.toHour`, 'must be after fromHour');
    return { kind: input.kind, slot: null, days: [date], fromHour: input.fromHour, toHour: input.toHour };
  }
  const slot = input.slot ?? TimeSlot.FULL_DAY;
  const [fromHour, toHour] = SLOT_HOURS[slot];
  if (input.kind === BookingKind.DAILY) return { kind: input.kind, slot, days: [date], fromHour, toHour };
  const end = input.endDate != null ? parseDay(input.endDate, `${prefix}.endDate`) : oneMonthLater(date);
  return { kind: input.kind, slot, days: daysBetween(date, end, MAX_BOOKING_DAYS, `${prefix}.endDate`), fromHour, toHour };
}

/** The day before the same date next month (2030-01-15 → 2030-02-14), capped at 31 days. */
function oneMonthLater(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return addDays(d.toISOString().slice(0, 10), -1);
}

export type PlaceResult = { ok: true; booking: ReturnType<typeof toBooking> } | { ok: false; taken: 'seat' | 'student' };

/**
 * Claims every hour key first (all or none, claim.service.ts), then writes the
 * booking; if that write fails the claims are released. No read-then-write.
 */
export async function placeBooking(
  ctx: RequestContext,
  ids: { studentId: Types.ObjectId; libraryId: Types.ObjectId; seatNumber: number },
  plan: BookingPlan,
): Promise<PlaceResult> {
  const conn = await ctx.tenantDb();
  const _id = new Types.ObjectId();
  const claimed: ClaimResult = await claimAll(conn, _id, claimDocs(_id, { ...ids, ...plan }));
  if (!claimed.ok) return claimed;
  try {
    const doc = await bookingModel(conn).create({
      _id, ...ids, date: plan.days[0], endDate: plan.days.at(-1), kind: plan.kind, slot: plan.slot,
      fromHour: plan.fromHour, toHour: plan.toHour, status: 'confirmed', slotKey: ownKeyOf(_id), studentDayKey: ownKeyOf(_id),
    });
    await occupancyChanged(ctx, ids.libraryId, 'booking');
    return { ok: true, booking: toBooking(doc.toObject()) };
  } catch (err) {
    await releaseClaims(conn, _id);
    throw err;
  }
}

export async function createBooking(ctx: RequestContext, input: CreateBookingInput) {
  const studentId = parseId(input.studentId, 'input.studentId');
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  const plan = planBooking(input);
  assertLibraryInScope(ctx, libraryId);
  if (!(await studentLoader(ctx).load(studentId.toHexString()))) throw notFound('Student');
  const library = await requireLibrary(ctx, libraryId.toHexString());
  await requireSeat(ctx, libraryId, library.capacity, input.seatNumber, 'input.seatNumber');
  const res = await placeBooking(ctx, { studentId, libraryId, seatNumber: input.seatNumber }, plan);
  if (res.ok) return res.booking;
  if (res.taken === 'seat') throw conflict('This seat is already booked for an overlapping time', 'input.seatNumber');
  throw conflict('The student already has a booking at an overlapping time', 'input.date');
}

/** The original API: a DAILY FULL_DAY booking. */
export const bookSeat = (ctx: RequestContext, input: BookSeatInput) =>
  createBooking(ctx, { ...input, kind: BookingKind.DAILY, slot: TimeSlot.FULL_DAY });

/** Frees the booking's hours so the seat and the student's time can be booked again; idempotent. */
export async function cancelBooking(ctx: RequestContext, id: string) {
  const _id = parseId(id, 'id');
  const conn = await ctx.tenantDb();
  const Booking = bookingModel(conn);
  const key = cancelledKeyOf(_id);
  const scope = libraryScopeFilter(ctx, 'libraryId', tryParseId);
  const doc = await Booking.findOneAndUpdate(
    { _id, status: 'confirmed', ...scope },
    { $set: { status: 'cancelled', slotKey: key, studentDayKey: key } },
    { returnDocument: 'after' },
  ).lean<BookingDoc>();
  // Released also on a repeat: a crash between the two writes leaves no stuck claims.
  const existing = doc ?? (await Booking.findById(_id).lean<BookingDoc>());
  if (!existing) throw notFound('Booking');
  if (!doc) assertLibraryInScope(ctx, existing.libraryId);
  if (existing.status === 'cancelled') await releaseClaims(conn, _id);
  if (doc) await occupancyChanged(ctx, doc.libraryId, 'booking_cancelled');
  return toBooking(existing);
}
