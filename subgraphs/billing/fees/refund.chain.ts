import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection, Types } from 'mongoose';
import { AppError } from '../../../core/errors';
import { isDuplicateKey } from '../invoicing/invoice.service';
import { paymentModel } from './payment.model';
import { PaymentStatus } from './payment.type';
import { refundModel, refundSlot, type RefundDoc } from './refund.model';

/**
 * Each payment's refunds are a chain of documents with _id '<paymentId>:<seq>'
 * (seq 1, 2, 3... without gaps), each carrying refundedAfter = previous + amount.
 * Same reasoning as the credits ledger (subgraphs/credits/wallet.service.ts):
 * FerretDB 1.24 does NOT apply conditional updates atomically (a
 * `{ refunded: { $lte: paid - x } } → $inc` guard lets concurrent refunds overshoot),
 * but it does enforce unique _id on insert. A refund is ONE insert of the next
 * link, judged against the head it read; if anyone appended meanwhile, the _id
 * is taken, we re-read the head and judge again. So no two refunds can be based
 * on the same total and the sum can never exceed the payment.
 * Chosen over fixed "slots" per rupee/part because partial refunds of any size
 * need no pre-allocation and the head gives the exact total in one read.
 */

export interface Head {
  seq: number;
  refundedAfter: number;
}

const CONTENTION_BUDGET_MS = 15_000;

const at = (conn: Connection, paymentId: string, seq: number) => refundModel(conn).findById(refundSlot(paymentId, seq)).lean<RefundDoc>();

/** The chain's last link, searched from `hint` (gallop, then bisect: "seq exists" is monotone). */
export async function findHead(conn: Connection, paymentId: string, hint = 0): Promise<Head> {
  let base = hint > 0 ? await at(conn, paymentId, hint) : null;
  let lo = base ? hint : 0;
  let hi = 0;
  for (let step = 1; !hi; step *= 2) {
    const e = await at(conn, paymentId, lo + step);
    if (e) [lo, base] = [lo + step, e];
    else hi = lo + step;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const e = await at(conn, paymentId, mid);
    if (e) [lo, base] = [mid, e];
    else hi = mid;
  }
  return { seq: lo, refundedAfter: base?.refundedAfter ?? 0 };
}

export type Link = Omit<RefundDoc, '_id' | 'seq' | 'refundedAfter' | 'createdAt' | 'updatedAt'>;

/**
 * Appends `link` once per key. `amountAt(head)` decides the amount against a real
 * head (and throws to refuse). Returns the link under the key: ours, or the one a
 * concurrent twin with the same key wrote.
 */
export async function appendLink(
  conn: Connection, paymentId: Types.ObjectId, hint: number, link: Omit<Link, 'amount'>, amountAt: (head: Head) => number,
): Promise<{ doc: RefundDoc; created: boolean }> {
  const Refunds = refundModel(conn);
  const pid = paymentId.toHexString();
  let head = await findHead(conn, pid, hint);
  const deadline = Date.now() + CONTENTION_BUDGET_MS;
  for (let attempt = 1; ; attempt++) {
    const amount = amountAt(head);
    const seq = head.seq + 1;
    try {
      const doc = await Refunds.create({ ...link, amount, _id: refundSlot(pid, seq), seq, refundedAfter: head.refundedAfter + amount });
      return { doc: doc.toObject() as RefundDoc, created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const twin = await Refunds.findOne({ key: link.key }).lean<RefundDoc>();
    if (twin) return { doc: twin, created: false };
    if (Date.now() > deadline) throw new AppError('SERVICE_UNAVAILABLE', 'Refunds of this payment are busy, try again');
    await sleep(Math.random() * Math.min(40, 2 * attempt));
    head = await findHead(conn, pid, seq);
  }
}

const statusFor = (paid: number, refunded: number) =>
  refunded <= 0 ? PaymentStatus.PAID : refunded >= paid ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;

/**
 * Copies the chain head onto the payment (status, refundedAmount). Last writer wins,
 * so after writing we look again: a later link has a writer that starts after ours
 * (it reads the head after inserting), and any head we missed is written again here.
 */
export async function syncPayment(conn: Connection, paymentId: Types.ObjectId, paid: number, hint: number): Promise<void> {
  let head = await findHead(conn, paymentId.toHexString(), hint);
  for (let i = 0; i < 20; i++) {
    await paymentModel(conn).updateOne(
      { _id: paymentId },
      { $set: { refundedAmount: head.refundedAfter, refundSeq: head.seq, status: statusFor(paid, head.refundedAfter) } },
    );
    const again = await findHead(conn, paymentId.toHexString(), head.seq);
    if (again.seq === head.seq) return;
    head = again;
  }
}
