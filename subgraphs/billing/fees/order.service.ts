import type { Connection } from 'mongoose';
import type { BillingContext } from '../context';
import { conflict } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { studentForOrder } from './student.client';
import { payments } from '../providers/gateway.env';
import type { CreatePaymentOrderInput } from './order.input';
import { orderIndexId, orderIndexModel } from './order-index.model';
import { paymentOrderModel, type PaymentOrderDoc } from './order.model';
import { assertGateways, placeOrder, whenSettled } from '../providers/order-flow.service';

function sameRequest(existing: PaymentOrderDoc, input: CreatePaymentOrderInput) {
  const same = existing.studentId.toHexString() === input.studentId.toLowerCase() && existing.amount === input.amount;
  if (!same) throw conflict('idempotencyKey was already used for a different order', 'idempotencyKey');
}

/** The first order under a key, once it is no longer pending. */
const settled = (conn: Connection, key: string) => whenSettled(() => paymentOrderModel(conn).findOne({ idempotencyKey: key }).lean<PaymentOrderDoc>());

/**
 * Creates an order at the cheapest configured gateway, failing over to the next.
 * Our record is inserted FIRST (unique idempotencyKey), so concurrent twins never
 * ask a gateway twice; the platform index is written before the client can pay, so
 * every webhook finds its tenant.
 */
export async function createPaymentOrder(ctx: BillingContext, input: CreatePaymentOrderInput) {
  const studentId = parseId(input.studentId, 'studentId');
  const conn = await ctx.tenantDb();
  const Orders = paymentOrderModel(conn);
  // The first order under the key, once settled; the same key for another request is a conflict.
  const replay = async () => {
    const first = await settled(conn, input.idempotencyKey);
    if (first) sameRequest(first, input);
    return first;
  };
  const earlier = await replay();
  if (earlier) return toPaymentOrder(earlier);

  const svc = payments(ctx);
  assertGateways(svc);
  const student = await studentForOrder(ctx, studentId.toHexString());
  const tenant = await ctx.tenant();
  const done = await placeOrder<PaymentOrderDoc>({
    model: Orders,
    record: {
      studentId,
      libraryId: parseId(student.libraryId, 'libraryId'),
      amount: input.amount,
      purpose: input.purpose ?? undefined,
      idempotencyKey: input.idempotencyKey,
      createdBy: ctx.auth?.sub,
    },
    replay,
    svc,
    log: ctx.log,
    request: (id) => ({
      amount: input.amount,
      currency: 'INR',
      receipt: id,
      notes: { tenant: tenant._id.toHexString(), orderId: id },
      customer: { id: studentId.toHexString(), phone: student.phone },
    }),
    // The webhook finds the tenant and our order from the provider's order id.
    onCreated: (provider, providerOrderId, order) =>
      orderIndexModel(ctx.db.platform()).updateOne(
        { _id: orderIndexId(provider, providerOrderId) },
        { $setOnInsert: { provider, providerOrderId, tenantId: tenant._id, orderId: order._id } },
        { upsert: true },
      ),
  });
  return toPaymentOrder(done);
}

/** One payment order of the caller's tenant, or null. */
export async function findPaymentOrder(ctx: BillingContext, id: string) {
  const doc = await paymentOrderModel(await ctx.tenantDb())
    .findById(parseId(id, 'id'))
    .lean<PaymentOrderDoc>();
  return doc ? toPaymentOrder(doc) : null;
}

export const toPaymentOrder = (d: PaymentOrderDoc) => ({
  id: d._id.toHexString(),
  student: { id: d.studentId.toHexString() },
  amount: d.amount,
  currency: d.currency,
  purpose: d.purpose ?? undefined,
  status: d.status,
  provider: d.provider ?? undefined,
  providerOrderId: d.providerOrderId ?? undefined,
  routingReason: d.routing?.reason,
  routing: d.routing ? { chosen: d.routing.chosen ?? undefined, reason: d.routing.reason, attempts: d.routing.attempts } : undefined,
  checkout: d.provider ? { provider: d.provider, ...d.checkout } : undefined,
  paymentId: d.paymentId?.toHexString(),
  createdAt: d.createdAt,
});
