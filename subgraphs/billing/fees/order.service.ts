import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import type { RequestContext } from '../../../core/context';
import { AppError, conflict, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { fetchEntities } from '../../../core/internal';
import { payments } from '../providers/gateway.config';
import { isDuplicateKey } from '../invoicing/invoice.service';
import type { CreatePaymentOrderInput } from './order.input';
import { orderIndexId, orderIndexModel } from './order-index.model';
import { paymentOrderModel, toPaymentOrder, type PaymentOrderDoc } from './order.model';
import { routeOrder } from '../providers/routing';

/** How long a retry waits for its twin that is still talking to the gateways. */
const PENDING_WAIT_MS = 15_000;

async function studentForOrder(ctx: RequestContext, studentId: string) {
  const [s] = await fetchEntities<{ id: string; phone: string | null; library: { id: string } | null }>(
    ctx, 'student', 'Student', [studentId], 'id phone library { id }',
  );
  if (!s?.library) throw notFound('Student');
  return { libraryId: s.library.id, phone: s.phone ?? undefined };
}

function sameRequest(existing: PaymentOrderDoc, input: CreatePaymentOrderInput) {
  const same = existing.studentId.toHexString() === input.studentId.toLowerCase() && existing.amount === input.amount;
  if (!same) throw conflict('idempotencyKey was already used for a different order', 'idempotencyKey');
}

/** The first order under a key, once it is no longer pending (or as it is, after PENDING_WAIT_MS). */
async function settled(conn: Connection, key: string): Promise<PaymentOrderDoc | null> {
  const deadline = Date.now() + PENDING_WAIT_MS;
  for (;;) {
    const doc = await paymentOrderModel(conn).findOne({ idempotencyKey: key }).lean<PaymentOrderDoc>();
    if (!doc || doc.status !== 'pending' || Date.now() > deadline) return doc;
    await sleep(100);
  }
}

/**
 * Creates an order at the cheapest configured gateway, failing over to the next.
 * Our record is inserted FIRST (unique idempotencyKey), so concurrent twins never
 * ask a gateway twice; the platform index is written before the client can pay, so
 * every webhook finds its tenant.
 */
export async function createPaymentOrder(ctx: RequestContext, input: CreatePaymentOrderInput) {
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
  if (!Object.keys(svc.gateways).length) throw new AppError('SERVICE_UNAVAILABLE', 'No payment gateway is configured');
  const student = await studentForOrder(ctx, studentId.toHexString());
  const tenant = await ctx.tenant();
  let order: PaymentOrderDoc;
  try {
    order = (await Orders.create({
      studentId, libraryId: parseId(student.libraryId, 'libraryId'), amount: input.amount, currency: 'INR',
      purpose: input.purpose ?? undefined, idempotencyKey: input.idempotencyKey, status: 'pending', createdBy: ctx.auth?.sub,
    })).toObject() as PaymentOrderDoc;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await replay())!;
  }

  const id = order._id.toHexString();
  const routed = await routeOrder(svc.gateways, {
    amount: input.amount, currency: 'INR', receipt: id,
    notes: { tenant: tenant._id.toHexString(), orderId: id },
    customer: { id: studentId.toHexString(), phone: student.phone },
  }, svc.timeoutMs);
  const routing = { chosen: routed.chosen ?? undefined, reason: routed.reason, attempts: routed.attempts };
  ctx.log.info({ orderId: id, routing }, 'payment order routed');
  if (!routed.created) {
    await Orders.updateOne({ _id: order._id }, { $set: { status: 'failed', routing } });
    throw new AppError('SERVICE_UNAVAILABLE', 'No payment gateway could create the order, try again later');
  }
  const { provider, providerOrderId, checkout } = routed.created;
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
