import type { Connection, Types } from 'mongoose';
import type { SeatClaimDoc } from './claim.model';
import { addDays } from '../../core/tenant-time';
import { pad2 } from './day.service';
import { hasDuplicateKey, writeErrorsOf } from '../../core/store/duplicate-key';

export interface ClaimSpan {
  libraryId: Types.ObjectId;
  seatNumber: number;
  studentId: Types.ObjectId;
  days: string[];
  /** Hours [from, to) of each day; past 24 for an overnight shift (the hours then fall on the next date). */
  fromHour: number;
  toHour: number;
}

/** Every unit key of a booking, in one global (lexicographic) order. */
export function claimDocs(bookingId: Types.ObjectId, span: ClaimSpan): SeatClaimDoc[] {
  const docs: SeatClaimDoc[] = [];
  const lib = span.libraryId.toHexString();
  const student = span.studentId.toHexString();
  for (const day of span.days) {
    for (let h = span.fromHour; h < span.toHour; h++) {
      // Keys name the calendar hour, so an overnight shift collides with the next morning's bookings.
      const date = h >= 24 ? addDays(day, 1) : day;
      const hour = h % 24;
      const base = { bookingId, libraryId: span.libraryId, date, hour };
      docs.push({ _id: `seat:${lib}:${span.seatNumber}:${date}:${pad2(hour)}`, seatNumber: span.seatNumber, ...base });
      docs.push({ _id: `student:${student}:${date}:${pad2(hour)}`, seatNumber: null, ...base });
    }
  }
  return docs.sort((a, b) => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0));
}

export type ClaimResult = { ok: true } | { ok: false; taken: 'seat' | 'student' };

/**
 * Takes all keys or none. FerretDB has no transactions and applies conditional
 * updates as a separate read and write, so only unique-index inserts are atomic:
 * `insertMany({ ordered: true })` stops at the first taken key, and whatever this
 * booking inserted before it is deleted again (by bookingId). Because every
 * request inserts in the same global key order, a request only ever holds keys
 * below the first one it fails on, so of two overlapping requests the one that
 * takes their smallest common key never meets a key held by the other: exactly one wins.
 */
export async function claimAll(conn: Connection, bookingId: Types.ObjectId, docs: SeatClaimDoc[]): Promise<ClaimResult> {
  try {
    await claims(conn).insertMany(docs, { ordered: true });
    return { ok: true };
  } catch (err) {
    await releaseClaims(conn, bookingId);
    if (!hasDuplicateKey(err)) throw err;
    return { ok: false, taken: takenKind(err, docs) };
  }
}

/** Raw driver collection: string `_id`s, and no mongoose casting on the hot path. */
const claims = (conn: Connection) => conn.collection<SeatClaimDoc>('seat_claims');

export async function releaseClaims(conn: Connection, bookingId: Types.ObjectId): Promise<void> {
  await claims(conn).deleteMany({ bookingId });
}

/** Which kind of key was taken, to word the CONFLICT (seat unless the driver says otherwise). */
function takenKind(err: unknown, docs: SeatClaimDoc[]): 'seat' | 'student' {
  const index = writeErrorsOf(err)[0]?.index;
  const doc = typeof index === 'number' ? docs[index] : undefined;
  return doc?._id.startsWith('student:') ? 'student' : 'seat';
}
