import type { Connection } from 'mongoose';
import type { BillingContext } from '../context';
import { conflict } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { studentForOrder } from './student.client';
import { payments } from '../providers/gateway.env';
import type { CreatePaymentOrderInput } from './order.input';
import { orderIndexId, orderIndexModel } from './order-index.model';
import { paymentOrderModel, type PaymentOrderDoc } from './order.model';
import { assertGateways, routeOrFail, whenSettled } from '../providers/order-flow.service';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

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
  const replay = async () => {
    const first = await settled(conn, input.idempotencyKey);
    if (!first) return null;
    sameRequest(first, input);
    return toPaymentOrder(first);
  };
  const earlier = await replay();
  if (earlier) return earlier;

  const svc = payments(ctx);
  assertGateways(svc);
  const student = await studentForOrder(ctx, studentId.toHexString());
  const tenant = await ctx.tenant();
  let order: PaymentOrderDoc;
  try {
    order = (
      await Orders.create({
        studentId,
        libraryId: parseId(student.libraryId, 'libraryId'),
        amount: input.amount,
        currency: 'INR',
        purpose: input.purpose ?? undefined,
        idempotencyKey: input.idempotencyKey,
        status: 'pending',
        createdBy: ctx.auth?.sub,
      })
    ).toObject() as PaymentOrderDoc;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await replay())!;
  }

  const id = order._id.toHexString();
  const { created, routing } = await routeOrFail(
    svc,
    {
      amount: input.amount,
      currency: 'INR',
      receipt: id,
      notes: { tenant: tenant._id.toHexString(), orderId: id },
      customer: { id: studentId.toHexString(), phone: student.phone },
    },
    ctx.log,
    (failed) => Orders.updateOne({ _id: order._id }, { $set: { status: 'failed', routing: failed } }),
  );
  const { provider, providerOrderId, checkout } = created;
  await orderIndexModel(ctx.db.platform()).updateOne(
    { _id: orderIndexId(provider, providerOrderId) },
    { $setOnInsert: { provider, providerOrderId, tenantId: tenant._id, orderId: order._id } },
    { upsert: true },
  );
  const done = await Orders.findOneAndUpdate(
    { _id: order._id },
    { $set: { status: 'created', provider, providerOrderId, checkout, routing } },
    { returnDocument: 'after' },
  ).lean<PaymentOrderDoc>();
  return toPaymentOrder(done!);
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
