import type { StudentContext } from './context';
import { conflict } from '../../core/errors';
import { getLibrary, type LibraryInfo } from './tenant.client';

/**
 * A library that may take new students and bookings. One that exists but is not
 * ACTIVE (pending approval, rejected, suspended, inactive, maintenance) is CONFLICT,
 * not BAD_USER_INPUT: the request is well-formed, the library's current state refuses it
 * (and may change, e.g. once approved).
 */
export async function requireLibrary(ctx: StudentContext, libraryId: string, field = 'input.libraryId'): Promise<LibraryInfo> {
  const lib = await getLibrary(ctx, libraryId);
  if (lib.status !== 'ACTIVE') throw conflict(`The library is not active (${lib.status})`, field);
  return lib;
}

/** Occupancy of a library from its capacity and open visits (percent to one decimal, at most 100). */
export function occupancyOf(libraryId: string, capacity: number, occupied: number) {
  const seats = Number.isInteger(capacity) && capacity > 0 ? capacity : 0;
  const percent = seats ? Math.min(100, Math.round((occupied / seats) * 1000) / 10) : 0;
  return { libraryId, occupied, capacity: seats, free: Math.max(0, seats - occupied), percent };
}
