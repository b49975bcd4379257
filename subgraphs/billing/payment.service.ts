import type { Connection } from 'mongoose';
import type { RequestContext } from '../../core/context';
import { topics } from '../../core/events';
import { conflict, notFound } from '../../core/errors';
import { parseId } from '../../core/ids';
import { fetchEntities } from '../../core/internal';
import { istMonth } from './calendar';
import { invoiceNumberUsed, isDuplicateKey, releaseInvoiceNumber, takeInvoiceNumber } from './invoice.service';
import type { RecordPaymentInput } from './payment.input';
import { paymentModel, toPayment, type PaymentDoc } from './payment.model';
import { PaymentStatus } from './payment.type';

/** Attempts at a fresh invoice number when the counter handed out one already used. */
const MAX_NUMBER_ATTEMPTS = 10;

/** The student's library, asked of the student subgraph with the caller's token (so: same tenant only). */
async function studentLibrary(ctx: RequestContext, studentId: string): Promise<string> {
  const [student] = await fetchEntities<{ id: string; library: { id: string } | null }>(
    ctx, 'student', 'Student', [studentId], 'id library { id }',
  );
  if (!student?.library) throw notFound('Student');
  return student.library.id;
}

/** A key reused for a different payment is a client bug: say so instead of returning the wrong payment. */
function replay(existing: PaymentDoc, input: RecordPaymentInput) {
  const same = existing.studentId.toHexString() === input.studentId.toLowerCase()
    && existing.amount === input.amount && existing.method === input.method;
  if (!same) throw conflict('idempotencyKey was already used for a different payment', 'idempotencyKey');
  return toPayment(existing);
}

const findByKey = (conn: Connection, key: string) =>
  paymentModel(conn).findOne({ idempotencyKey: key }).lean<PaymentDoc>();

/**
 * Records a payment and its invoice in ONE insert (no transactions needed).
 * Idempotent per key: a retry finds the first payment; two racing requests with
 * the same key collide on the unique index and the loser returns the winner's.
 */
export async function recordPayment(ctx: RequestContext, input: RecordPaymentInput) {
  const studentId = parseId(input.studentId, 'studentId');
  const conn = await ctx.tenantDb();
  const key = input.idempotencyKey;
  if (key) {
    const existing = await findByKey(conn, key);
    if (existing) return replay(existing, input);
  }
  const libraryId = parseId(await studentLibrary(ctx, studentId.toHexString()), 'libraryId');
  const paidAt = new Date();
  const Payment = paymentModel(conn);

  for (let attempt = 1; ; attempt++) {
    const taken = await takeInvoiceNumber(conn, paidAt);
    try {
      const doc = await Payment.create({
        studentId,
        libraryId,
        amount: input.amount,
        currency: 'INR',
        method: input.method,
        status: PaymentStatus.PAID,
        reference: input.reference ?? undefined,
        idempotencyKey: key ?? undefined,
        month: istMonth(paidAt),
        paidAt,
        invoice: { number: taken.number, issuedAt: paidAt },
      });
      // Only a new payment is announced (a replayed idempotent call returns above).
      await ctx.publish(topics.domain('payment.recorded'), {
        tenantId: (await ctx.tenant())._id.toHexString(),
        paymentId: doc._id.toHexString(),
        studentId: studentId.toHexString(),
      });
      return toPayment(doc.toObject());
    } catch (err) {
      // Only a duplicate key proves nothing was written; anything else keeps its number.
      if (!isDuplicateKey(err)) throw err;
      const winner = key ? await findByKey(conn, key) : null;
      if (winner) {
        await releaseInvoiceNumber(conn, taken);
        return replay(winner, input);
      }
      if (attempt >= MAX_NUMBER_ATTEMPTS || !(await invoiceNumberUsed(conn, taken.number))) throw err;
    }
  }
}
