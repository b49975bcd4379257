import type { StudentContext } from './context';
import { badInput, conflict } from '../../core/errors';
import { parseId } from '../../core/ids';
import { fetchEntities } from '../../core/internal';
import { istDay } from '../../core/tenant-time';
import { YMD } from './day.service';

/** The billing subgraph's Membership as this subgraph needs it (billing owns the entity). */
export interface MembershipInfo {
  id: string;
  studentId: string;
  libraryId: string;
  planId: string;
  /** The plan's shift; null when the plan is not tied to one. */
  shiftId: string | null;
  /** RESERVED or ANY. */
  seatKind: string;
  /** ACTIVE, FROZEN, CANCELLED or EXPIRED. */
  status: string;
  startDate: string;
  endDate: string;
}

const FIELDS = 'id studentId libraryId planId shiftId seatKind status startDate endDate';

/**
 * Reads a membership through billing's `_entities` with the caller's token
 * (billing checks tenant, permissions and branch scope; null = not visible).
 */
export async function fetchMembership(ctx: StudentContext, id: string): Promise<MembershipInfo | null> {
  const [m] = await fetchEntities<MembershipInfo>(ctx, 'billing', 'Membership', [id], FIELDS);
  return m ?? null;
}

/** A membership date as a calendar day: YYYY-MM-DD as is, a DateTime as its day in Asia/Kolkata. */
export function membershipDay(value: string): string | null {
  if (typeof value !== 'string') return null;
  if (YMD.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : istDay(at);
}

/**
 * The ACTIVE membership of this student at this library, or a refusal that names
 * what does not match (the booking is then not written).
 */
export async function requireMembership(
  ctx: StudentContext,
  membershipId: string,
  owner: { studentId: string; libraryId: string },
  field: string,
): Promise<MembershipInfo> {
  const id = parseId(membershipId, field).toHexString();
  const m = await fetchMembership(ctx, id);
  if (!m) throw badInput(field, 'no such membership');
  if (m.studentId !== owner.studentId) throw badInput(field, 'belongs to another student');
  if (m.libraryId !== owner.libraryId) throw badInput(field, 'is for another library');
  const status = String(m.status).toUpperCase();
  if (status !== 'ACTIVE') throw conflict(`The membership is ${status}, not ACTIVE`, field);
  return m;
}

/** Refuses a booking whose days leave the membership's period (start and end inclusive). */
export function assertWithinMembership(m: MembershipInfo, firstDay: string, lastDay: string, field: string): void {
  const start = membershipDay(m.startDate);
  const end = membershipDay(m.endDate);
  if (!start || !end) throw conflict('The membership has no valid period', field);
  if (firstDay < start || lastDay > end) {
    throw conflict(`The booking (${firstDay} to ${lastDay}) must lie within the membership (${start} to ${end})`, field);
  }
}

/**
 * A plan's seatKind holds for its bookings: ANY means a free seat each day, so such a
 * membership books DAILY; a seat kept for days on end (MONTHLY) needs a RESERVED plan.
 */
export function assertSeatKind(m: MembershipInfo, monthly: boolean, field: string): void {
  if (monthly && String(m.seatKind).toUpperCase() === 'ANY') {
    throw badInput(
      field,
      'is on a plan without a reserved seat (seatKind ANY): book DAILY, a day at a time; a seat for the whole period needs a RESERVED plan',
    );
  }
}
