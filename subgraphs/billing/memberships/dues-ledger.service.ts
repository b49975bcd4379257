/**
 * A student's dues as pure state transitions: the dues chain (dues.service.ts)
 * stores the result of each on its entry. All amounts are integer paise.
 *
 * Rules:
 * - Money received (a payment, a credit) pays open DUES oldest due date first,
 *   then an unpaid security deposit, and the rest is advance credit.
 * - A new charge is paid from the advance credit at once, if there is any.
 * - Deposits are never dues: paid deposit money is `depositHeld` (refundable),
 *   an unpaid deposit is `depositDue`.
 * - amountDue = charged − allocated (over dues charges), by construction.
 */
export enum ChargeKind {
  MEMBERSHIP = 'MEMBERSHIP',
  DEPOSIT = 'DEPOSIT',
  LATE_FEE = 'LATE_FEE',
  ADJUSTMENT = 'ADJUSTMENT',
}

export interface OpenCharge {
  id: string;
  kind: ChargeKind;
  amount: number;
  outstanding: number;
  dueDate: string;
  membershipId?: string;
  /** Late-fee terms of the membership it was sold on (MEMBERSHIP charges). */
  lateFee?: number;
  graceDays?: number;
}

export interface DuesState {
  /** Charges with something outstanding, in payment order. */
  open: OpenCharge[];
  advance: number;
  depositHeld: number;
  /** Sum of dues charges (deposits excluded) ever made. */
  charged: number;
  /** Sum of money allocated to dues charges. */
  allocated: number;
  /** Money received: payments and credits, minus refunds. */
  received: number;
  lastPaidAt?: Date;
  /** The library of the latest membership (pendingDues filters by it). */
  libraryId?: string;
  /**
   * The fee plan of the latest membership charge (a payment's plan in the revenue analytics),
   * null when looked up and there was none. Absent: not known yet (a ledger written before
   * the state carried it, or no membership charged yet).
   */
  planId?: string | null;
}

export interface Allocation {
  chargeId: string;
  amount: number;
  source: string;
}

export const emptyDues = (): DuesState => ({ open: [], advance: 0, depositHeld: 0, charged: 0, allocated: 0, received: 0 });

const isDues = (c: { kind: ChargeKind }) => c.kind !== ChargeKind.DEPOSIT;

/** Dues first (oldest due date, then oldest charge), deposits last. */
const payOrder = (a: OpenCharge, b: OpenCharge) => Number(!isDues(a)) - Number(!isDues(b)) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0);

export const amountDue = (s: DuesState) => s.open.filter(isDues).reduce((n, c) => n + c.outstanding, 0);
export const depositDue = (s: DuesState) => s.open.filter((c) => !isDues(c)).reduce((n, c) => n + c.outstanding, 0);
export const oldestDueDate = (s: DuesState) =>
  s.open
    .filter(isDues)
    .map((c) => c.dueDate)
    .sort()[0];

/** Applies `amount` of money from `source` to open charges; what is left becomes advance credit. */
function allocate(s: DuesState, amount: number, source: string, duesOnly = false): { state: DuesState; allocations: Allocation[] } {
  const open = s.open.map((c) => ({ ...c })).sort(payOrder);
  const allocations: Allocation[] = [];
  let left = amount;
  let allocated = s.allocated;
  let depositHeld = s.depositHeld;
  for (const c of open) {
    if (left <= 0) break;
    if (duesOnly && !isDues(c)) continue;
    const part = Math.min(left, c.outstanding);
    c.outstanding -= part;
    left -= part;
    allocations.push({ chargeId: c.id, amount: part, source });
    if (isDues(c)) allocated += part;
    else depositHeld += part;
  }
  return { state: { ...s, open: open.filter((c) => c.outstanding > 0), allocated, depositHeld, advance: s.advance + left }, allocations };
}

export type NewCharge = Omit<OpenCharge, 'outstanding'>;

/** A new charge (amount > 0), paid from the advance credit if any. A membership's charge names its library and plan. */
export function addCharge(s: DuesState, charge: NewCharge, libraryId?: string, planId?: string) {
  const withCharge: DuesState = {
    ...s,
    libraryId: libraryId ?? s.libraryId,
    ...(planId ? { planId } : {}),
    advance: 0,
    open: [...s.open, { ...charge, outstanding: charge.amount }],
    charged: s.charged + (isDues(charge) ? charge.amount : 0),
  };
  return s.advance > 0 ? allocate(withCharge, s.advance, 'advance') : { state: withCharge, allocations: [] as Allocation[] };
}

/** A payment received (amount > 0). */
export function receivePayment(s: DuesState, paymentId: string, amount: number, at: Date) {
  const r = allocate({ ...s, received: s.received + amount, lastPaidAt: at }, amount, `payment:${paymentId}`);
  return r;
}

/** A credit (an ADJUSTMENT in the student's favour, e.g. unused days): pays dues, never a deposit (no money came in); the rest is advance. */
export function receiveCredit(s: DuesState, creditId: string, amount: number) {
  return allocate({ ...s, received: s.received + amount }, amount, `credit:${creditId}`, true);
}

/**
 * Money given back (a payment refund): taken from the advance credit first; what
 * the advance cannot cover had already paid charges, so it is owed again as an
 * ADJUSTMENT charge due `today` (nothing is minted or lost).
 */
export function giveBack(s: DuesState, refundId: string, amount: number, today: string) {
  const fromAdvance = Math.min(s.advance, amount);
  const base: DuesState = { ...s, advance: s.advance - fromAdvance, received: s.received - amount };
  const rest = amount - fromAdvance;
  if (rest <= 0) return { state: base, allocations: [] as Allocation[], charge: undefined };
  const charge: NewCharge = { id: `refund:${refundId}`, kind: ChargeKind.ADJUSTMENT, amount: rest, dueDate: today };
  return { ...addCharge(base, charge), charge };
}

/**
 * The held deposit comes back when the student leaves: it pays open dues first
 * (the usual settlement) and the rest is advance credit, paid out with refundPayment.
 */
export function releaseDeposit(s: DuesState, releaseId: string) {
  const amount = s.depositHeld;
  const r = allocate({ ...s, depositHeld: 0 }, amount, `deposit:${releaseId}`, true);
  return { ...r, amount };
}
