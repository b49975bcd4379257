import { trusted, type Types } from 'mongoose';
import type { StudentContext } from './context';
import { assertLibraryInScope } from '../../core/scope/library-scope';
import { badInput } from '../../core/errors';
import { parseId } from '../../core/ids';
import { seatClaimModel } from './claim.model';
import { getLibrary } from './tenant.client';
import { seatModel, type SeatDoc } from './seat.model';
import type { SeatInput } from './seat.input';
import { shiftSpan } from './shift-hours.service';
import { hoursOf, shiftForSlot, shiftOfLibrary } from './shift.service';
import { addDays } from '../../core/tenant-time';
import { TimeSlot } from './time-slot.type';

/** The library's seat map, or seats 1..capacity when none is configured. */
export async function listSeats(ctx: StudentContext, libraryId: Types.ObjectId, capacity: number) {
  const docs = await seatModel(await ctx.tenantDb())
    .find({ libraryId })
    .sort({ number: 1 })
    .lean<SeatDoc[]>();
  if (docs.length) return docs.filter((d) => d.number <= capacity).map(toSeat);
  return Array.from({ length: capacity }, (_, i) => defaultSeat(libraryId, i + 1));
}

export async function seatsOf(ctx: StudentContext, libraryId: string) {
  const _id = parseId(libraryId, 'libraryId');
  assertLibraryInScope(ctx, _id);
  const lib = await getLibrary(ctx, _id.toHexString());
  return listSeats(ctx, _id, lib.capacity);
}

/** A bookable seat: 1..capacity and, when a map is configured, one of its seats. */
export async function requireSeat(ctx: StudentContext, libraryId: Types.ObjectId, capacity: number, n: number, field: string) {
  const problem = await seatProblem(ctx, libraryId, capacity, n);
  if (problem) throw badInput(field, problem);
}

export async function seatProblem(ctx: StudentContext, libraryId: Types.ObjectId, capacity: number, n: number): Promise<string | null> {
  if (!Number.isInteger(n) || n < 1 || n > capacity) return `must be between 1 and ${capacity}`;
  const Seats = seatModel(await ctx.tenantDb());
  if (await Seats.exists({ libraryId, number: n })) return null;
  return (await Seats.exists({ libraryId })) ? 'is not a seat of this library' : null;
}

/**
 * Upserts each listed seat by number (re-running the same call changes nothing);
 * seats not listed stay unless removeOthers. Everything is validated before the first write.
 */
export async function configureSeats(ctx: StudentContext, libraryId: string, seats: SeatInput[], removeOthers: boolean) {
  const _id = parseId(libraryId, 'libraryId');
  assertLibraryInScope(ctx, _id);
  const lib = await getLibrary(ctx, _id.toHexString());
  if (seats.length > lib.capacity) throw badInput('seats', `at most ${lib.capacity} seats (the library's capacity)`);
  const seen = new Set<number>();
  seats.forEach((s, i) => {
    if (s.number > lib.capacity) throw badInput(`seats.${i}.number`, `must be between 1 and ${lib.capacity}`);
    if (seen.has(s.number)) throw badInput(`seats.${i}.number`, 'is listed twice');
    seen.add(s.number);
  });
  const Seats = seatModel(await ctx.tenantDb());
  if (seats.length) {
    await Seats.bulkWrite(
      seats.map((s) => ({
        updateOne: {
          filter: { libraryId: _id, number: s.number },
          update: { $set: { label: s.label ?? String(s.number), zone: s.zone ?? null, features: s.features ?? [] } },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
  if (removeOthers) await Seats.deleteMany({ libraryId: _id, number: trusted({ $nin: [...seen] }) });
  return listSeats(ctx, _id, lib.capacity);
}

/** Per seat: free if no booking holds any hour of the shift (or old slot) that day. */
export async function seatAvailability(ctx: StudentContext, libraryId: string, day: string, pick: { slot?: TimeSlot | null; shiftId?: string | null }) {
  const _id = parseId(libraryId, 'libraryId');
  assertLibraryInScope(ctx, _id);
  const lib = await getLibrary(ctx, _id.toHexString());
  const seats = await listSeats(ctx, _id, lib.capacity);
  const shift =
    pick.shiftId != null
      ? await shiftOfLibrary(ctx, _id, pick.shiftId, 'shiftId')
      : await shiftForSlot(ctx, _id, hoursOf(lib), pick.slot ?? TimeSlot.FULL_DAY, 'slot', { forReading: true });
  const span = shiftSpan(shift.startTime, shift.endTime);
  const rows = await heldSeats(ctx, _id, day, span.start / 60, span.end / 60);
  const bySeat = new Map<number, string[]>();
  for (const k of rows) bySeat.set(k.seatNumber, [...(bySeat.get(k.seatNumber) ?? []), k.bookingId]);
  return seats.map((seat) => {
    const bookingIds = [...new Set(bySeat.get(seat.number) ?? [])].sort();
    return { seat, free: bookingIds.length === 0, bookingIds };
  });
}

/**
 * Which bookings hold which seats in the hours [from, to) of a day; hours past 24
 * are the next date's (overnight shifts). One aggregate per call.
 */
export async function heldSeats(ctx: StudentContext, libraryId: Types.ObjectId, day: string, from: number, to: number) {
  const windows = [{ date: day, hour: { $gte: from, $lt: Math.min(to, 24) } }];
  if (to > 24) windows.push({ date: addDays(day, 1), hour: { $gte: 0, $lt: to - 24 } });
  // Pipelines are not sanitized; every value is a parsed id, a validated day or a number.
  const rows = await seatClaimModel(await ctx.tenantDb()).aggregate<{ _id: { s: number | null; b: Types.ObjectId } }>([
    { $match: { libraryId, seatNumber: { $ne: null }, $or: windows } },
    { $group: { _id: { s: '$seatNumber', b: '$bookingId' } } },
  ]);
  return rows.filter((r) => r._id.s != null).map((r) => ({ seatNumber: r._id.s as number, bookingId: r._id.b.toHexString() }));
}

export const toSeat = (d: Pick<SeatDoc, 'libraryId' | 'number' | 'label' | 'zone' | 'features'> & { _id?: Types.ObjectId }) => ({
  id: d._id ? d._id.toHexString() : `${d.libraryId.toHexString()}:${d.number}`,
  number: d.number,
  label: d.label,
  zone: d.zone ?? null,
  features: d.features ?? [],
});

/** The seat a library has without a configured map: number n labelled "n". */
export const defaultSeat = (libraryId: Types.ObjectId, number: number) => toSeat({ libraryId, number, label: String(number), zone: null, features: [] });
