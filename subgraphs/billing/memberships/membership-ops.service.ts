import { conflict } from '../../../core/errors';
import { ChargeKind } from './dues-ledger.service';
import type { ChargeSpec } from './dues.service';
import { MembershipStatus, type CreditSpec, type MembershipState, type SoldTerms } from './membership.model';
import { addDays, daysBetween } from '../../../core/tenant-time';
import { periodEnd } from './period.service';

/**
 * What each membership change does, as pure decisions on the membership's
 * current state (the chain head) and today's date. Proration, one rule for
 * upgrades, downgrades and cancellation with refund: the unused whole days of
 * the current period are credited at the price it was sold for,
 * floor(price × unusedDays / periodDays) paise, as an ADJUSTMENT credit.
 */
export interface Decision {
  op: string;
  state: MembershipState;
  charges: ChargeSpec[];
  credits: CreditSpec[];
}

const periodCharge = (id: string, s: MembershipState, period: number, start: string): ChargeSpec => ({
  id: `m:${id}:${period}`,
  kind: ChargeKind.MEMBERSHIP,
  amount: s.terms.price,
  dueDate: start,
  membershipId: id,
  description: `${s.terms.planName}, ${start} to ${periodEnd(start, s.terms.duration, s.terms.durationDays)}`,
  lateFee: s.terms.lateFee,
  graceDays: s.terms.graceDays,
});

const periodLength = (start: string, t: SoldTerms) => daysBetween(start, periodEnd(start, t.duration, t.durationDays)) + 1;

function requireStatus(s: MembershipState, ...allowed: MembershipStatus[]) {
  if (!allowed.includes(s.status)) throw conflict(`The membership is ${s.status}`, 'membershipId');
}

export function assign(id: string, base: Omit<MembershipState, 'period' | 'periodStart' | 'periodDays' | 'endDate' | 'status' | 'autoRenew'>): Decision {
  const start = base.startDate;
  const state: MembershipState = {
    ...base,
    status: MembershipStatus.ACTIVE,
    autoRenew: true,
    period: 1,
    periodStart: start,
    periodDays: periodLength(start, base.terms),
    endDate: periodEnd(start, base.terms.duration, base.terms.durationDays),
  };
  const charges = [periodCharge(id, state, 1, start)];
  if (base.terms.securityDeposit > 0) {
    charges.push({
      id: `m:${id}:deposit`,
      kind: ChargeKind.DEPOSIT,
      amount: base.terms.securityDeposit,
      dueDate: start,
      membershipId: id,
      description: 'Security deposit (refundable)',
    });
  }
  return { op: 'ASSIGN', state, charges, credits: [] };
}

/** The next period, starting the day after the current one ends. `expected` is the period the caller saw. */
export function renew(id: string, s: MembershipState, expected: number): Decision {
  if (s.period !== expected) throw conflict('The membership changed meanwhile; read it again', 'membershipId');
  requireStatus(s, MembershipStatus.ACTIVE);
  const start = addDays(s.endDate, 1);
  const period = s.period + 1;
  const state = {
    ...s,
    period,
    periodStart: start,
    periodDays: periodLength(start, s.terms),
    endDate: periodEnd(start, s.terms.duration, s.terms.durationDays),
  };
  return { op: 'RENEW', state, charges: [periodCharge(id, state, period, start)], credits: [] };
}

/** Unused whole days of the current period from `from` on, credited at the sold price. */
function unusedCredit(id: string, s: MembershipState, from: string, why: string): CreditSpec[] {
  const first = from > s.periodStart ? from : s.periodStart;
  const unused = Math.min(s.periodDays, Math.max(0, daysBetween(first, s.endDate) + 1));
  const amount = Math.floor((s.terms.price * unused) / s.periodDays);
  return amount > 0
    ? [{ id: `credit:${id}:${s.period}`, amount, membershipId: id, description: `${why}: ${unused} unused day(s) of ${s.terms.planName}` }]
    : [];
}

/**
 * Upgrade or downgrade, both at once from today: credit the unused days, charge
 * the new plan's full period from today, and the deposit difference if the new
 * plan's deposit is higher (a lower one is settled when the deposit is returned).
 */
export function changePlan(id: string, s: MembershipState, plan: { id: string; terms: SoldTerms }, today: string): Decision {
  requireStatus(s, MembershipStatus.ACTIVE);
  if (plan.id === s.planId) throw conflict('The membership is already on this plan', 'planId');
  const credits = unusedCredit(id, s, today, 'Plan change');
  const period = s.period + 1;
  const state: MembershipState = {
    ...s,
    planId: plan.id,
    terms: plan.terms,
    seatKind: plan.terms.seatKind,
    shiftId: plan.terms.shiftId,
    period,
    periodStart: today,
    periodDays: periodLength(today, plan.terms),
    endDate: periodEnd(today, plan.terms.duration, plan.terms.durationDays),
  };
  const charges = [periodCharge(id, state, period, today)];
  const extraDeposit = plan.terms.securityDeposit - s.terms.securityDeposit;
  if (extraDeposit > 0) {
    charges.push({
      id: `m:${id}:deposit:${period}`,
      kind: ChargeKind.DEPOSIT,
      amount: extraDeposit,
      dueDate: today,
      membershipId: id,
      description: 'Security deposit top-up',
    });
  }
  return { op: 'CHANGE_PLAN', state, charges, credits };
}

/** A pause from today: the end date moves by the frozen days; no renewal or late fee while frozen. */
export function freeze(s: MembershipState, days: number, today: string): Decision {
  requireStatus(s, MembershipStatus.ACTIVE);
  return {
    op: 'FREEZE',
    state: { ...s, status: MembershipStatus.FROZEN, frozenUntil: addDays(today, days - 1), endDate: addDays(s.endDate, days) },
    charges: [],
    credits: [],
  };
}

export function unfreeze(s: MembershipState): Decision {
  requireStatus(s, MembershipStatus.FROZEN);
  return { op: 'UNFREEZE', state: { ...s, status: MembershipStatus.ACTIVE, frozenUntil: undefined }, charges: [], credits: [] };
}

/**
 * Without refund: no more renewals, the student keeps the paid period (EXPIRED
 * after endDate). With refund: ends today, and the days after today come back as
 * a credit (paying open dues first, the rest is advance credit the owner can pay
 * out with refundPayment).
 */
export function cancel(id: string, s: MembershipState, refund: boolean, today: string): Decision {
  requireStatus(s, MembershipStatus.ACTIVE, MembershipStatus.FROZEN);
  if (!refund) return { op: 'CANCEL', state: { ...s, autoRenew: false }, charges: [], credits: [] };
  const credits = unusedCredit(id, s, addDays(today, 1), 'Cancelled');
  return {
    op: 'CANCEL_REFUND',
    state: {
      ...s,
      status: MembershipStatus.CANCELLED,
      autoRenew: false,
      endDate: today < s.endDate ? today : s.endDate,
      endedOn: today,
      frozenUntil: undefined,
    },
    charges: [],
    credits,
  };
}

export function expire(s: MembershipState, today: string): Decision {
  requireStatus(s, MembershipStatus.ACTIVE);
  if (s.autoRenew || today <= s.endDate) throw conflict('The membership has not run out', 'membershipId');
  return { op: 'EXPIRE', state: { ...s, status: MembershipStatus.EXPIRED, endedOn: addDays(s.endDate, 1) }, charges: [], credits: [] };
}
