import type { Connection, Types } from 'mongoose';
import type { BillingContext } from '../context';
import type { Emit } from '../../../core/events';
import { conflict } from '../../../core/errors';
import { parseId, tryParseId } from '../../../core/ids';
import { libraryQuery } from '../../../core/scope/library-scope';
import { studentLibrary } from './student.client';
import { istMonth } from '../../../core/tenant-time';
import { invoiceTax, invoiceView } from '../invoicing/invoice-tax.service';
import { invoiceNumberUsed, releaseInvoiceNumber, takeInvoiceNumber } from '../invoicing/invoice.service';
import type { PaymentsArgs, RecordPaymentInput } from './payment.input';
import { paymentModel, type PaymentDoc } from './payment.model';
import { PaymentMethod, PaymentStatus } from './payment.type';
import { findBillingSettings } from '../invoicing/settings.service';
import { postPayment } from '../memberships/dues.service';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

/** Attempts at a fresh invoice number when the counter handed out one already used. */
const MAX_NUMBER_ATTEMPTS = 10;

/** A key reused for a different payment is a client bug: say so instead of returning the wrong payment. */
function replay(existing: PaymentDoc, input: RecordPaymentInput) {
  const same = existing.studentId.toHexString() === input.studentId.toLowerCase() && existing.amount === input.amount && existing.method === input.method;
  if (!same) throw conflict('idempotencyKey was already used for a different payment', 'idempotencyKey');
  return toPayment(existing);
}

const findByKey = (conn: Connection, key: string) => paymentModel(conn).findOne({ idempotencyKey: key }).lean<PaymentDoc>();

/** What a new payment is made of; `gatewayPaymentKey`/`idempotencyKey` make it idempotent. */
export interface NewPayment {
  studentId: Types.ObjectId;
  libraryId: Types.ObjectId;
  amount: number;
  method: PaymentMethod;
  reference?: string;
  idempotencyKey?: string;
  provider?: string;
  providerPaymentId?: string;
  gatewayPaymentKey?: string;
  orderId?: Types.ObjectId;
  /** Buyer's GST state code (IGST when it differs from the tenant's); default: the tenant's. */
  placeOfSupply?: string;
}

export interface Inserted {
  doc: PaymentDoc;
  /** False when an earlier (or concurrent) identical payment was found instead. */
  created: boolean;
}

/**
 * Inserts a payment and its invoice in ONE document (no transactions needed).
 * `findExisting` finds the payment this one duplicates (same idempotency key or
 * gateway payment): looked at first, and again after a duplicate-key refusal, when
 * the loser of a race gives its invoice number back and returns the winner.
 * `announce` runs for a payment created here (callers re-announce one found).
 */
export async function insertPayment(
  conn: Connection,
  p: NewPayment,
  findExisting: () => Promise<PaymentDoc | null>,
  announce: (doc: PaymentDoc) => Promise<void>,
): Promise<Inserted> {
  const existing = await findExisting();
  if (existing) return { doc: existing, created: false };
  const paidAt = new Date();
  const Payment = paymentModel(conn);
  const { placeOfSupply, ...fields } = p;
  const tax = invoiceTax(p.amount, await findBillingSettings(conn), placeOfSupply);
  for (let attempt = 1; ; attempt++) {
    const taken = await takeInvoiceNumber(conn, paidAt);
    try {
      const doc = (
        await Payment.create({
          ...fields,
          currency: 'INR',
          status: PaymentStatus.PAID,
          month: istMonth(paidAt),
          paidAt,
          invoice: { number: taken.number, issuedAt: paidAt, tax },
        })
      ).toObject() as PaymentDoc;
      await announce(doc);
      return { doc, created: true };
    } catch (err) {
      // Only a duplicate key proves nothing was written; anything else keeps its number.
      if (!isDuplicateKey(err)) throw err;
      const winner = await findExisting();
      if (winner) {
        await releaseInvoiceNumber(conn, taken);
        return { doc: winner, created: false };
      }
      if (attempt >= MAX_NUMBER_ATTEMPTS || !(await invoiceNumberUsed(conn, taken.number))) throw err;
    }
  }
}

/**
 * The durable `payment.recorded` domain event, keyed by the payment id. Emitted
 * for a new payment and again whenever a retry finds it (idempotency key,
 * gateway payment): a crash between the payment write and the event write is
 * healed by the client's retry, and a repeat adds nothing.
 */
export const announcePayment = (emit: Emit, tenantId: string) => async (doc: PaymentDoc) => {
  const paymentId = doc._id.toHexString();
  await emit('payment.recorded', { tenantId, paymentId, studentId: doc.studentId.toHexString() }, paymentId);
};

/**
 * Records a payment at the desk. Idempotent per key: a retry finds the first
 * payment; two racing requests with the same key collide on the unique index and
 * the loser returns the winner's.
 */
export async function recordPayment(ctx: BillingContext, input: RecordPaymentInput) {
  const studentId = parseId(input.studentId, 'studentId');
  const conn = await ctx.tenantDb();
  const key = input.idempotencyKey;
  const announce = announcePayment(ctx.emit, (await ctx.tenant())._id.toHexString());
  if (key) {
    const existing = await findByKey(conn, key);
    if (existing) {
      const view = replay(existing, input);
      await announce(existing); // re-emits (same key: nothing new), healing a crash before the first emit
      await postPayment(conn, existing); // idempotent: completes a first attempt that stopped before it
      return view;
    }
  }
  const libraryId = parseId(await studentLibrary(ctx, studentId.toHexString()), 'libraryId');
  const { doc, created } = await insertPayment(
    conn,
    {
      studentId,
      libraryId,
      amount: input.amount,
      method: input.method,
      reference: input.reference ?? undefined,
      idempotencyKey: key ?? undefined,
      placeOfSupply: input.placeOfSupply ?? undefined,
    },
    async () => (key ? findByKey(conn, key) : null),
    announce,
  );
  if (!created) await announce(doc);
  const view = created ? toPayment(doc) : replay(doc, input);
  // The money pays the student's dues, oldest first; the rest is advance credit (once per payment).
  await postPayment(conn, doc);
  return view;
}

/** Payments newest first; branch scope: the library asked for (FORBIDDEN outside the scope) or the caller's libraries. */
export async function listPayments(ctx: BillingContext, filter: PaymentsArgs['filter'], first: number) {
  const query: { studentId?: Types.ObjectId; month?: string; [k: string]: unknown } = libraryQuery(
    ctx,
    filter?.libraryId ? parseId(filter.libraryId, 'filter.libraryId') : null,
    'libraryId',
    tryParseId,
  );
  if (filter?.studentId) query.studentId = parseId(filter.studentId, 'filter.studentId');
  if (filter?.month) query.month = filter.month;
  const docs = await paymentModel(await ctx.tenantDb())
    .find(query)
    .sort({ paidAt: -1, _id: -1 })
    .limit(first)
    .lean<PaymentDoc[]>();
  return docs.map(toPayment);
}

export const toPayment = (d: PaymentDoc) => ({
  id: d._id.toHexString(),
  student: { id: d.studentId.toHexString() },
  library: { id: d.libraryId.toHexString() },
  amount: d.amount,
  currency: d.currency,
  method: d.method as PaymentMethod,
  status: d.status as PaymentStatus,
  reference: d.reference ?? undefined,
  paidAt: d.paidAt,
  invoice: invoiceView(d._id.toHexString(), d.invoice, d.amount),
  provider: d.provider ?? undefined,
  providerPaymentId: d.providerPaymentId ?? undefined,
  refundedAmount: d.refundedAmount ?? 0,
  createdAt: d.createdAt,
});
