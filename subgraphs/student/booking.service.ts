import { Types } from 'mongoose';
import type { StudentContext } from './context';
import { badInput, conflict, notFound } from '../../core/errors';
import { parseId, tryParseId } from '../../core/ids';
import { assertLibraryInScope, libraryQuery, libraryScopeFilter } from '../../core/scope/library-scope';
import { BookingKind, type BookSeatInput, type CreateBookingInput } from './booking.input';
import { bookingModel, type BookingDoc } from './booking.model';
import { claimAll, claimDocs, releaseClaims, type ClaimResult } from './claim.service';
import { requireLibrary } from './library.service';
import { occupancyChanged } from './occupancy.events';
import { requireSeat } from './seat.service';
import { studentLoader } from './student.loader';
import { assertSeatKind, assertWithinMembership, requireMembership, type MembershipInfo } from './membership.client';
import { shiftSpan, type OpeningHours } from './shift-hours.service';
import { hoursOf, requireBookableShift, shiftForSlot } from './shift.service';
import { weekdayOf } from './shift.type';
import { addDays } from '../../core/tenant-time';
import { TimeSlot } from './time-slot.type';
import { dayRange } from './day.service';

export const MAX_BOOKING_DAYS = 31;

export async function listBookings(ctx: StudentContext, args: { studentId?: string; libraryId?: string; date?: string }) {
  const query: Record<string, unknown> = libraryQuery(ctx, args.libraryId ? parseId(args.libraryId, 'libraryId') : null, 'libraryId', tryParseId);
  if (args.studentId) query.studentId = parseId(args.studentId, 'studentId');
  if (args.date != null) query.date = args.date;
  const Booking = bookingModel(await ctx.tenantDb());
  const docs = await Booking.find(query).sort({ date: -1, _id: -1 }).limit(500).lean<BookingDoc[]>();
  return docs.map(toBooking);
}

/** What a booking holds, validated: the days it holds and the hours [fromHour, toHour) of each. */
export interface BookingPlan {
  kind: BookingKind;
  slot: TimeSlot | null;
  /** Days held (for a shift: the days of the range it runs on). */
  days: string[];
  /** First and last day asked for (inclusive). */
  date: string;
  endDate: string;
  fromHour: number;
  /** Past 24 for an overnight shift. */
  toHour: number;
  shiftId: Types.ObjectId | null;
  membershipId: Types.ObjectId | null;
}

/** The input checked without the database: the kind, the days asked for, HOURLY's hours. */
export interface BookingDraft {
  kind: BookingKind;
  days: string[];
  hours: [number, number] | null;
}

export function draftBooking(input: CreateBookingInput, prefix = 'input'): BookingDraft {
  const date = input.date;
  if (input.kind === BookingKind.HOURLY) {
    if (input.fromHour == null || input.toHour == null) throw badInput(`${prefix}.fromHour`, 'HOURLY needs fromHour and toHour');
    if (input.toHour <= input.fromHour) throw badInput(`${prefix}.toHour`, 'must be after fromHour');
    if (input.shiftId != null) throw badInput(`${prefix}.shiftId`, 'HOURLY bookings take fromHour/toHour, not a shift');
    if (input.membershipId != null) throw badInput(`${prefix}.membershipId`, 'a membership books DAILY or MONTHLY (its shift)');
    return { kind: input.kind, days: [date], hours: [input.fromHour, input.toHour] };
  }
  if (input.shiftId != null && input.slot != null) throw badInput(`${prefix}.slot`, 'give shiftId or slot, not both');
  if (input.kind === BookingKind.DAILY) return { kind: input.kind, days: [date], hours: null };
  const end = input.endDate ?? oneMonthLater(date);
  return { kind: input.kind, days: dayRange(date, end, MAX_BOOKING_DAYS, `${prefix}.endDate`), hours: null };
}

/** What picks the shift of a DAILY/MONTHLY booking: a membership's, a shift id, or an old slot (default FULL_DAY). */
export interface ShiftChoice {
  shiftId?: string | null;
  slot?: TimeSlot | null;
  membership?: MembershipInfo | null;
}

/** Resolves the shift (library's, active) and keeps the days of the draft it runs on. */
export async function planBooking(
  ctx: StudentContext,
  draft: BookingDraft,
  library: { id: Types.ObjectId; hours: OpeningHours },
  choice: ShiftChoice,
  prefix = 'input',
): Promise<BookingPlan> {
  const base = { kind: draft.kind, date: draft.days[0], endDate: draft.days.at(-1)!, membershipId: null };
  if (draft.hours) return { ...base, slot: null, days: draft.days, fromHour: draft.hours[0], toHour: draft.hours[1], shiftId: null };
  const shift = await chooseShift(ctx, library, choice, prefix);
  const days = draft.days.filter((d) => shift.days.includes(weekdayOf(d)));
  if (!days.length) {
    const when = draft.days.length === 1 ? `on ${weekdayOf(draft.days[0]).toLowerCase()}s` : 'on any day of this range';
    throw badInput(`${prefix}.date`, `the shift "${shift.name}" does not run ${when}`);
  }
  const span = shiftSpan(shift.startTime, shift.endTime);
  return {
    ...base,
    slot: (shift.slot as TimeSlot | null) ?? null,
    days,
    fromHour: span.start / 60,
    toHour: span.end / 60,
    shiftId: new Types.ObjectId(shift.id),
    ...(choice.membership ? { membershipId: new Types.ObjectId(choice.membership.id) } : {}),
  };
}

async function chooseShift(ctx: StudentContext, library: { id: Types.ObjectId; hours: OpeningHours }, choice: ShiftChoice, prefix: string) {
  const m = choice.membership;
  if (m?.shiftId) {
    if (choice.shiftId != null && choice.shiftId !== m.shiftId) throw badInput(`${prefix}.shiftId`, "must be the membership's shift (or left out)");
    const shift = await requireBookableShift(ctx, library.id, m.shiftId, `${prefix}.membershipId`);
    if (choice.slot != null && shift.slot !== choice.slot) throw badInput(`${prefix}.slot`, `the membership is for the shift "${shift.name}" (leave slot out)`);
    return shift;
  }
  if (choice.shiftId != null) return requireBookableShift(ctx, library.id, choice.shiftId, `${prefix}.shiftId`);
  return shiftForSlot(ctx, library.id, library.hours, choice.slot ?? TimeSlot.FULL_DAY, `${prefix}.slot`);
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
  ctx: StudentContext,
  ids: { studentId: Types.ObjectId; libraryId: Types.ObjectId; seatNumber: number },
  plan: BookingPlan,
): Promise<PlaceResult> {
  const conn = await ctx.tenantDb();
  const _id = new Types.ObjectId();
  const claimed: ClaimResult = await claimAll(conn, _id, claimDocs(_id, { ...ids, ...plan }));
  if (!claimed.ok) return claimed;
  try {
    const doc = await bookingModel(conn).create({
      _id,
      ...ids,
      date: plan.date,
      endDate: plan.endDate,
      kind: plan.kind,
      slot: plan.slot,
      fromHour: plan.fromHour,
      toHour: plan.toHour,
      shiftId: plan.shiftId,
      membershipId: plan.membershipId,
      status: 'confirmed',
      slotKey: ownKeyOf(_id),
      studentDayKey: ownKeyOf(_id),
    });
    await occupancyChanged(ctx, ids.libraryId, 'booking');
    return { ok: true, booking: toBooking(doc.toObject()) };
  } catch (err) {
    await releaseClaims(conn, _id);
    throw err;
  }
}

export async function createBooking(ctx: StudentContext, input: CreateBookingInput) {
  const studentId = parseId(input.studentId, 'input.studentId');
  const libraryId = parseId(input.libraryId, 'input.libraryId');
  assertLibraryInScope(ctx, libraryId);
  const draft = draftBooking(input);
  const membership =
    input.membershipId != null
      ? await requireMembership(ctx, input.membershipId, { studentId: studentId.toHexString(), libraryId: libraryId.toHexString() }, 'input.membershipId')
      : null;
  if (membership) assertSeatKind(membership, draft.kind === BookingKind.MONTHLY, 'input.membershipId');
  if (!(await studentLoader(ctx).load(studentId.toHexString()))) throw notFound('Student');
  const library = await requireLibrary(ctx, libraryId.toHexString());
  await requireSeat(ctx, libraryId, library.capacity, input.seatNumber, 'input.seatNumber');
  const plan = await planBooking(ctx, draft, { id: libraryId, hours: hoursOf(library) }, { shiftId: input.shiftId, slot: input.slot, membership });
  if (membership) assertWithinMembership(membership, plan.date, plan.endDate, 'input.membershipId');
  const res = await placeBooking(ctx, { studentId, libraryId, seatNumber: input.seatNumber }, plan);
  if (res.ok) return res.booking;
  if (res.taken === 'seat') throw conflict('This seat is already booked for an overlapping time', 'input.seatNumber');
  throw conflict('The student already has a booking at an overlapping time', 'input.date');
}

/** The original API: a DAILY FULL_DAY booking, or the membership's shift when one is given. */
export const bookSeat = (ctx: StudentContext, input: BookSeatInput) =>
  createBooking(ctx, { ...input, kind: BookingKind.DAILY, slot: input.membershipId != null ? undefined : TimeSlot.FULL_DAY });

/** Frees the booking's hours so the seat and the student's time can be booked again; idempotent. */
export async function cancelBooking(ctx: StudentContext, id: string) {
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

export const ownKeyOf = (bookingId: Types.ObjectId) => `booking:${bookingId.toHexString()}`;

export const cancelledKeyOf = (bookingId: Types.ObjectId) => `cancelled:${bookingId.toHexString()}`;

export const toBooking = (d: BookingDoc) => ({
  id: d._id.toHexString(),
  studentId: d.studentId.toHexString(),
  library: { id: d.libraryId.toHexString() },
  seatNumber: d.seatNumber,
  date: d.date,
  endDate: d.endDate ?? d.date,
  kind: d.kind ?? 'daily',
  slot: d.kind ? (d.slot ?? null) : 'full_day',
  fromHour: d.fromHour ?? 6,
  toHour: d.toHour ?? 22,
  shiftId: d.shiftId ? d.shiftId.toHexString() : null,
  membershipId: d.membershipId ? d.membershipId.toHexString() : null,
  status: d.status,
  createdAt: d.createdAt,
});
