import { trusted, Types, type Connection } from 'mongoose';
import type { StudentContext } from './context';
import { badInput, conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { assertLibraryInScope, inLibraryScope } from '../../core/scope/library-scope';
import { bookingModel } from './booking.model';
import { getLibrary, type LibraryInfo } from './tenant.client';
import { checkShiftTimes, defaultShifts, legacyShift, shiftSpan, DAY_MINUTES, type DefaultShift, type OpeningHours } from './shift-hours.service';
import type { CreateShiftInput, UpdateShiftInput } from './shift.input';
import { shiftLoader } from './shift.loader';
import { shiftModel, type ShiftDoc } from './shift.model';
import { ALL_WEEKDAYS, type Weekday } from './shift.type';
import { istDay } from '../../core/tenant-time';
import type { TimeSlot } from './time-slot.type';
import { isDuplicateKey, isOnlyDuplicateKeys } from '../../core/store/duplicate-key';

/** Libraries created before hours were required answer without them: the old fixed day. */
export const hoursOf = (lib: Partial<OpeningHours>): OpeningHours => ({
  openingTime: lib.openingTime ?? '06:00',
  closingTime: lib.closingTime ?? '22:00',
});

/** Opening hours, or how to fetch them only when needed (a library's first use). */
export type HoursSource = OpeningHours | (() => Promise<OpeningHours>);

/** Days in the week's order, each once. */
const normaliseDays = (days: readonly Weekday[] | undefined) => ALL_WEEKDAYS.filter((d) => (days ?? ALL_WEEKDAYS).includes(d));

function newShiftDoc(libraryId: Types.ObjectId, def: DefaultShift, days: readonly Weekday[] = ALL_WEEKDAYS) {
  const _id = new Types.ObjectId();
  const name = def.name.trim();
  return {
    _id,
    libraryId,
    name,
    nameKey: nameKeyOf(libraryId, name),
    startTime: def.startTime,
    endTime: def.endTime,
    days: normaliseDays(days),
    overnight: shiftSpan(def.startTime, def.endTime).end > DAY_MINUTES,
    active: true,
    slot: def.slot,
    slotKey: def.slot ? slotKeyOf(libraryId, def.slot) : ownSlotKeyOf(_id),
  };
}

/**
 * A library's first use (listing, booking, occupancy) gives it default shifts from
 * its opening hours when it has none. Concurrent first uses race on the unique
 * name/slot keys: duplicates are someone else's identical insert and are ignored.
 */
export async function ensureDefaultShifts(ctx: StudentContext, libraryId: Types.ObjectId, hours: HoursSource): Promise<void> {
  const Shifts = shiftModel(await ctx.tenantDb());
  if (await Shifts.exists({ libraryId })) return;
  const docs = defaultShifts(typeof hours === 'function' ? await hours() : hours).map((d) => newShiftDoc(libraryId, d));
  if (!docs.length) return;
  await Shifts.insertMany(docs, { ordered: false }).catch((err) => {
    if (!isOnlyDuplicateKeys(err)) throw err;
  });
}

async function libraryFor(ctx: StudentContext, libraryId: string, field: string): Promise<{ _id: Types.ObjectId; lib: LibraryInfo }> {
  const _id = parseId(libraryId, field);
  assertLibraryInScope(ctx, _id.toHexString());
  return { _id, lib: await getLibrary(ctx, _id.toHexString()) };
}

export async function listShifts(ctx: StudentContext, libraryId: string, includeRetired: boolean): Promise<Shift[]> {
  const { _id, lib } = await libraryFor(ctx, libraryId, 'libraryId');
  return shiftsOf(ctx, _id, hoursOf(lib), includeRetired);
}

/** The library's shifts (defaults created on first use), by start time then name. */
export async function shiftsOf(ctx: StudentContext, libraryId: Types.ObjectId, hours: HoursSource, includeRetired = false) {
  await ensureDefaultShifts(ctx, libraryId, hours);
  const filter = includeRetired ? { libraryId } : { libraryId, active: true };
  const docs = await shiftModel(await ctx.tenantDb())
    .find(filter)
    .sort({ startTime: 1, name: 1 })
    .lean<ShiftDoc[]>();
  return docs.map(toShift);
}

/**
 * An update that breaks a unique index: E11000 on MongoDB; FerretDB/SQLite answers an
 * update (not an insert) with InternalError "UNIQUE constraint failed" and writes nothing.
 */
const isUniqueViolation = (err: unknown) => isDuplicateKey(err) || /UNIQUE constraint failed/.test((err as Error)?.message ?? '');

const nameTaken = () => badInput('input.name', 'another active shift of this library has this name');

export async function createShift(ctx: StudentContext, input: CreateShiftInput): Promise<Shift> {
  const { _id: libraryId, lib } = await libraryFor(ctx, input.libraryId, 'input.libraryId');
  const name = input.name.trim();
  checkShiftTimes(input.startTime, input.endTime, hoursOf(lib));
  const doc = newShiftDoc(libraryId, { name, startTime: input.startTime, endTime: input.endTime, slot: null }, input.days);
  try {
    const created = await shiftModel(await ctx.tenantDb()).create(doc);
    return toShift(created.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw nameTaken();
    throw err;
  }
}

/** The shift in the caller's tenant and branch scope, or NOT_FOUND (another branch's shift is not revealed). */
async function requireShift(ctx: StudentContext, id: string, field = 'id'): Promise<ShiftDoc> {
  const _id = parseId(id, field);
  const doc = await shiftModel(await ctx.tenantDb())
    .findById(_id)
    .lean<ShiftDoc>();
  if (!doc || !inLibraryScope(ctx, doc.libraryId.toHexString())) throw notFound('Shift');
  return doc;
}

/** Confirmed bookings of the shift that end today or later (Asia/Kolkata). */
const upcomingBookings = async (ctx: StudentContext, shiftId: Types.ObjectId) =>
  bookingModel(await ctx.tenantDb()).countDocuments({ shiftId, status: 'confirmed', endDate: trusted({ $gte: istDay(new Date()) }) });

/**
 * Renames freely. Times and days change what a booking holds, so they change only
 * while no current or future booking uses the shift (CONFLICT otherwise: create a
 * new shift and retire this one). Past bookings keep the hours they stored.
 */
export async function updateShift(ctx: StudentContext, id: string, input: UpdateShiftInput): Promise<Shift> {
  const doc = await requireShift(ctx, id);
  if (!doc.active) throw conflict('The shift is retired and cannot change', 'id');
  const name = input.name != null ? input.name.trim() : doc.name;
  const startTime = input.startTime ?? doc.startTime;
  const endTime = input.endTime ?? doc.endTime;
  const days = input.days ? normaliseDays(input.days) : doc.days;
  const timesChange = startTime !== doc.startTime || endTime !== doc.endTime || days.join() !== doc.days.join();
  if (timesChange) {
    const lib = await getLibrary(ctx, doc.libraryId.toHexString());
    checkShiftTimes(startTime, endTime, hoursOf(lib));
    const n = await upcomingBookings(ctx, doc._id);
    if (n > 0) {
      throw conflict(`${n} current or future booking(s) use this shift: its times and days cannot change (create a new shift and retire this one)`, 'id');
    }
  }
  const set = {
    name,
    nameKey: nameKeyOf(doc.libraryId, name),
    startTime,
    endTime,
    days,
    overnight: shiftSpan(startTime, endTime).end > DAY_MINUTES,
  };
  try {
    const updated = await shiftModel(await ctx.tenantDb())
      .findOneAndUpdate({ _id: doc._id }, { $set: set }, { returnDocument: 'after' })
      .lean<ShiftDoc>();
    return toShift(updated ?? { ...doc, ...set });
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken();
    throw err;
  }
}

/** No new bookings (and fee plans) on it; existing bookings stay. Frees its name. Idempotent. */
export async function retireShift(ctx: StudentContext, id: string): Promise<Shift> {
  const doc = await requireShift(ctx, id);
  if (!doc.active) return toShift(doc);
  const set = { active: false, nameKey: retiredKeyOf(doc._id), retiredAt: new Date() };
  await shiftModel(await ctx.tenantDb()).updateOne({ _id: doc._id }, { $set: set });
  return toShift({ ...doc, ...set });
}

/** A shift a new booking may use: of this library and active. */
export async function requireBookableShift(ctx: StudentContext, libraryId: Types.ObjectId, shiftId: string, field: string): Promise<Shift> {
  const shift = await shiftLoader(ctx).load(parseId(shiftId, field).toHexString());
  if (!shift || shift.libraryId !== libraryId.toHexString()) throw badInput(field, 'is not a shift of this library');
  if (!shift.active) throw conflict(`The shift "${shift.name}" is retired`, field);
  return shift;
}

/**
 * The old `slot` input: the library's shift standing for that slot. Created on
 * demand when missing (a library that defined its own shifts first): from its
 * hours when they allow it, else the old fixed hours. Racing creates meet on the
 * unique slot key; the loser reads the winner's.
 */
export async function shiftForSlot(
  ctx: StudentContext,
  libraryId: Types.ObjectId,
  hours: OpeningHours,
  slot: TimeSlot,
  field: string,
  opts: { forReading?: boolean } = {},
): Promise<Shift> {
  await ensureDefaultShifts(ctx, libraryId, hours);
  const doc = await ensureSlotShift(await ctx.tenantDb(), libraryId, defaultShifts(hours).find((d) => d.slot === slot) ?? legacyShift(slot));
  if (!doc) throw conflict('The library has no shift for this slot; book by shiftId', field);
  if (!doc.active && !opts.forReading) throw conflict(`The ${doc.name} shift (slot ${slot.toUpperCase()}) is retired; book by shiftId`, field);
  return toShift(doc);
}

/**
 * The library's shift of `def.slot`, inserted from `def` when missing (also used by
 * migration 003). A shift the owner made may already carry the name: the slot's
 * shift then says which slot it is. Racing inserts meet on the unique slot key.
 */
export async function ensureSlotShift(conn: Connection, libraryId: Types.ObjectId, def: DefaultShift): Promise<ShiftDoc | null> {
  const Shifts = shiftModel(conn);
  const find = () => Shifts.findOne({ slotKey: slotKeyOf(libraryId, def.slot!) }).lean<ShiftDoc>();
  const existing = await find();
  if (existing) return existing;
  for (const name of [def.name, `${def.name} (${def.slot!.replace('_', ' ')} slot)`]) {
    try {
      await Shifts.create(newShiftDoc(libraryId, { ...def, name }));
      break;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await find()) break;
    }
  }
  return find();
}

/** `_entities`: null for an id outside the caller's tenant (another database) or branch scope. */
export async function resolveShiftReference(ref: Record<string, unknown>, ctx: StudentContext) {
  if (typeof ref.id !== 'string') return null;
  const shift = await shiftLoader(ctx).load(ref.id);
  return shift && inLibraryScope(ctx, shift.libraryId) ? shift : null;
}

/** Any shift of the library, retired ones included (for reading: availability, occupancy). */
export async function shiftOfLibrary(ctx: StudentContext, libraryId: Types.ObjectId, shiftId: string, field: string): Promise<Shift> {
  const shift = await shiftLoader(ctx).load(parseId(shiftId, field).toHexString());
  if (!shift || shift.libraryId !== libraryId.toHexString()) throw badInput(field, 'is not a shift of this library');
  return shift;
}

export const nameKeyOf = (libraryId: Types.ObjectId | string, name: string) => `${String(libraryId)}:${name.trim().toLowerCase()}`;

export const retiredKeyOf = (id: Types.ObjectId) => `retired:${id.toHexString()}`;

export const slotKeyOf = (libraryId: Types.ObjectId | string, slot: string) => `${String(libraryId)}:slot:${slot}`;

export const ownSlotKeyOf = (id: Types.ObjectId) => `shift:${id.toHexString()}`;

export const toShift = (d: ShiftDoc) => ({
  id: d._id.toHexString(),
  libraryId: d.libraryId.toHexString(),
  name: d.name,
  startTime: d.startTime,
  endTime: d.endTime,
  days: d.days,
  overnight: d.overnight,
  active: d.active,
  slot: d.slot ?? null,
  createdAt: d.createdAt,
});

export type Shift = ReturnType<typeof toShift>;
