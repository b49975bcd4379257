import type { MembershipDoc } from './membership.model';

export const toMembership = (m: MembershipDoc) => ({
  id: m._id.toHexString(),
  studentId: m.studentId,
  libraryId: m.libraryId,
  planId: m.planId,
  shiftId: m.shiftId ?? undefined,
  seatKind: m.seatKind,
  status: m.status,
  startDate: m.startDate,
  endDate: m.endDate,
  period: m.period,
  periodStart: m.periodStart,
  autoRenew: m.autoRenew,
  frozenUntil: m.frozenUntil ?? undefined,
  terms: { ...m.terms, durationDays: m.terms.durationDays ?? undefined, lateFee: m.terms.lateFee ?? undefined },
});
