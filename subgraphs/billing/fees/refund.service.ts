import { trusted, type Connection, type Types } from 'mongoose';
import type { BillingContext } from '../context';
import { assertLibraryInScope } from '../../../core/scope/library-scope';
import { AppError, badInput, conflict, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { gatewayOf, payments } from '../providers/gateway.env';
import { GatewayError, type ProviderName, type RefundLookup } from '../providers/payment-gateway.provider';
import { RECHECK_MS, refundDueMarks } from './refund-due.service';
import { paymentModel, type PaymentDoc } from './payment.model';
import type { RefundPaymentInput } from './refund.input';
import { appendOnce, syncProjection } from '../../../core/store/append-chain';
import { PaymentStatus } from './payment.type';
import { refundChain, refundModel, type RefundDoc } from './refund.model';
import { postRefund } from '../memberships/dues.service';
import { todayOf } from '../memberships/clock.service';

/** A processed refund takes its money back out of the student's dues ledger (once per refund). */
export async function reflectInDues(conn: Connection, payment: PaymentDoc, refund: RefundDoc, today: string) {
  if (refund.status !== 'processed' || refund.amount <= 0) return;
  await postRefund(conn, payment.studentId.toHexString(), refund._id, payment._id.toHexString(), refund.amount, refund.updatedAt ?? new Date(), today);
}

/**
 * Each payment's refunds are a chain of documents with _id '<paymentId>:<seq>'
 * (seq 1, 2, 3... without gaps), each carrying refundedAfter = previous + amount:
 * FerretDB 1.24 does NOT apply conditional updates atomically (a
 * `{ refunded: { $lte: paid - x } } → $inc` guard lets concurrent refunds overshoot),
 * but it does enforce unique _id on insert. A refund is ONE insert of the next link,
 * judged against the head it read (the engine, core/store/append-chain.ts, re-reads
 * and judges again when it loses a race), so the sum can never exceed the payment.
 * Chosen over fixed "slots" per rupee/part because partial refunds of any size
 * need no pre-allocation and the head gives the exact total in one read.
 */
type Link = Pick<RefundDoc, 'key' | 'paymentId' | 'reason' | 'status' | 'provider' | 'createdBy' | 'settling'>;

/**
 * Appends `link` once per key, from the head hint `from`. `amountAt(refundedBefore)` decides
 * the amount against a real head (and throws to refuse). Returns the link under the key: ours,
 * or the one a concurrent twin with the same key wrote.
 */
async function appendLink(conn: Connection, pid: string, from: number, link: Link, amountAt: (refunded: number) => number) {
  const { entry, created } = await appendOnce(
    refundChain(conn),
    pid,
    link.key,
    (head) => {
      const refunded = head?.refundedAfter ?? 0;
      const amount = amountAt(refunded);
      return { ...link, amount, refundedAfter: refunded + amount };
    },
    { from, lookFirst: false, busy: 'Refunds of this payment are busy, try again' },
  );
  return { doc: entry, created };
}

const statusFor = (paid: number, refunded: number) =>
  refunded <= 0 ? PaymentStatus.PAID : refunded >= paid ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;

/** Copies the chain head onto the payment (status, refundedAmount); the chain is the truth. */
export const syncPayment = (conn: Connection, paymentId: Types.ObjectId, paid: number, from: number) =>
  syncProjection(
    refundChain(conn),
    paymentId.toHexString(),
    async (head) => {
      await paymentModel(conn).updateOne(
        { _id: paymentId },
        { $set: { refundedAmount: head.refundedAfter, refundSeq: head.seq, status: statusFor(paid, head.refundedAfter) } },
      );
    },
    from,
  );

function replay(first: RefundDoc, input: RefundPaymentInput, paymentId: string) {
  if (first.paymentId.toHexString() !== paymentId || (input.amount !== undefined && input.amount !== null && input.amount !== first.amount)) {
    throw conflict('idempotencyKey was already used for a different refund', 'idempotencyKey');
  }
  if (first.status === 'failed') throw new AppError('SERVICE_UNAVAILABLE', 'The gateway refused this refund; retry with a new idempotencyKey');
  return toRefund(first);
}

/**
 * Refunds (part of) a payment, never more than paid minus already refunded, even
 * under concurrency (the refund chain above), once per idempotencyKey. Online payments
 * are refunded through their gateway; if it refuses, a reversal link gives the
 * amount back and the refund is FAILED. Cash and desk payments are refunded at once.
 */
export async function refundPayment(ctx: BillingContext, input: RefundPaymentInput) {
  const paymentId = parseId(input.paymentId, 'paymentId');
  const pid = paymentId.toHexString();
  const conn = await ctx.tenantDb();
  const Refunds = refundModel(conn);
  const earlier = await Refunds.findOne({ key: input.idempotencyKey }).lean<RefundDoc>();
  if (earlier) return replay(await finishedOnRetry(ctx, earlier), input, pid);
  const payment = await paymentModel(conn).findById(paymentId).lean<PaymentDoc>();
  if (!payment) throw notFound('Payment');
  assertLibraryInScope(ctx, payment.libraryId);
  const provider = payment.provider as ProviderName | undefined;
  if (provider) gatewayOf(ctx, provider); // refuse before reserving if the gateway is not configured

  const { doc, created } = await appendLink(
    conn,
    pid,
    payment.refundSeq ?? 0,
    {
      key: input.idempotencyKey,
      paymentId,
      reason: input.reason,
      status: provider ? 'pending' : 'processed',
      provider,
      createdBy: ctx.auth?.sub,
      settling: true,
    },
    (refunded) => {
      const remaining = payment.amount - refunded;
      if (remaining <= 0) throw conflict('This payment is already fully refunded', 'paymentId');
      const amount = input.amount ?? remaining;
      if (amount > remaining) throw badInput('amount', `exceeds the refundable ${remaining} paise`);
      return amount;
    },
  );
  if (!created) return replay(doc, input, pid);

  let result = doc;
  if (provider) result = await refundAtGateway(ctx, payment, doc);
  await finishRefund(conn, payment, result, todayOf(ctx.services));
  if (result.status === 'failed') throw new AppError('SERVICE_UNAVAILABLE', 'The payment gateway refused the refund; nothing was refunded');
  return toRefund(result);
}

/** A retry of a refund whose first attempt died after its outcome: finishes its effects first. */
async function finishedOnRetry(ctx: BillingContext, refund: RefundDoc): Promise<RefundDoc> {
  if (!refund.settling || refund.status === 'pending') return refund;
  const conn = await ctx.tenantDb();
  const payment = await paymentModel(conn).findById(refund.paymentId).lean<PaymentDoc>();
  if (!payment) return refund;
  assertLibraryInScope(ctx, payment.libraryId);
  await finishRefund(conn, payment, refund, todayOf(ctx.services));
  return refund;
}

/**
 * Every effect of a refund's outcome, each keyed, so running it again after a crash (the
 * reconciler, a retry) finishes what the first run did not and doubles nothing: a failed
 * one's reversal, the payment's copy of the chain, a processed one's dues entry; then the
 * refund stops being `settling`.
 */
export async function finishRefund(conn: Connection, payment: PaymentDoc, refund: RefundDoc, today: string): Promise<void> {
  if (refund.status === 'pending') return;
  if (refund.status === 'failed') await appendReversal(conn, payment, refund);
  await syncPayment(conn, payment._id, payment.amount, refund.seq);
  await reflectInDues(conn, payment, refund, today);
  if (refund.settling) await refundModel(conn).updateOne({ _id: refund._id, settling: true }, { $unset: { settling: 1 } });
}

async function refundAtGateway(ctx: BillingContext, payment: PaymentDoc, link: RefundDoc): Promise<RefundDoc> {
  const conn = await ctx.tenantDb();
  const provider = payment.provider as ProviderName;
  try {
    const { providerRefundId } = await gatewayOf(ctx, provider).refund(
      { ...refundLookup(payment, link), amount: link.amount },
      AbortSignal.timeout(payments(ctx).timeoutMs),
    );
    return markProcessed(conn, link, providerRefundId);
  } catch (err) {
    // Only a 4xx is a refusal. A timeout, a 5xx, a broken connection or an answer we cannot
    // read may come after the gateway refunded: pending, and asked again later
    // (refund-reconcile.service.ts), so a reversal never hands the amount out twice.
    if (!isRefusal(err)) {
      ctx.log.error({ refundId: link._id, provider, error: (err as Error).message }, 'refund answer unclear at the gateway; left pending');
      await refundDueMarks(ctx).mark((await ctx.tenant())._id.toHexString(), new Date(Date.now() + RECHECK_MS));
      throw new AppError('SERVICE_UNAVAILABLE', 'The payment gateway did not answer clearly; the refund is pending and will be confirmed with it');
    }
    ctx.log.error({ refundId: link._id, provider, error: (err as Error).message }, 'gateway refused a refund');
    return markFailed(conn, link);
  }
}

/** The gateway said no (a 4xx): the one answer that proves no refund was made. */
const isRefusal = (err: unknown) => err instanceof GatewayError && err.status !== undefined && err.status >= 400 && err.status < 500;

/** What the gateway knows a refund by: the payment's ids and ours (`rf_<paymentId>_<seq>`). */
export const refundLookup = (payment: PaymentDoc, link: RefundDoc): RefundLookup => ({
  providerPaymentId: payment.providerPaymentId!,
  providerOrderId: payment.provider === 'cashfree' ? payment.orderId!.toHexString() : '',
  refundId: `rf_${link._id.replace(':', '_')}`,
});

/** The gateway refunded: the link says so (its dues follow, reflectInDues). */
export async function markProcessed(conn: Connection, link: RefundDoc, providerRefundId: string): Promise<RefundDoc> {
  // Only from PENDING: a refund another reconciler settled stays as it was settled.
  const Refunds = refundModel(conn);
  const done = await Refunds.findOneAndUpdate(
    { _id: link._id, status: 'pending' },
    { $set: { status: 'processed', providerRefundId } },
    { returnDocument: 'after' },
  ).lean<RefundDoc>();
  return done ?? (await Refunds.findById(link._id).lean<RefundDoc>())!;
}

/** The gateway did not refund: the link is FAILED (its `reversal:<id>` link follows in finishRefund). */
export async function markFailed(conn: Connection, link: RefundDoc): Promise<RefundDoc> {
  // Never a PROCESSED one (its money left).
  const r = await refundModel(conn).updateOne({ _id: link._id, status: trusted({ $in: ['pending', 'failed'] }) }, { $set: { status: 'failed' } });
  if (!r.matchedCount) return (await refundModel(conn).findById(link._id).lean<RefundDoc>())!;
  return { ...link, status: 'failed' };
}

/** The `reversal:<id>` link that gives a failed refund's amount back, once (its key). */
async function appendReversal(conn: Connection, payment: PaymentDoc, link: RefundDoc) {
  // Looked up first: against a head past the reversal its amount would not fit (refundedAfter < 0).
  if (await refundModel(conn).exists({ key: `reversal:${link._id}` })) return;
  await appendLink(
    conn,
    payment._id.toHexString(),
    link.seq,
    { key: `reversal:${link._id}`, paymentId: payment._id, reason: `reversal of ${link._id}`, status: 'reversal', provider: link.provider },
    (refunded) => {
      // A head that no longer holds the refund's amount already holds its reversal (a twin's): appendOnce answers with it.
      if (refunded < link.amount) throw conflict('The refund is already reversed', 'paymentId');
      return -link.amount;
    },
  );
}

export const toRefund = (d: RefundDoc) => ({
  id: d._id,
  paymentId: d.paymentId.toHexString(),
  amount: d.amount,
  refundedAfter: d.refundedAfter,
  reason: d.reason,
  status: d.status,
  provider: d.provider ?? undefined,
  providerRefundId: d.providerRefundId ?? undefined,
  createdAt: d.createdAt,
});
