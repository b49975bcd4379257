import { setTimeout as sleep } from 'node:timers/promises';
import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { AppError } from '../../../core/errors';
import type { Logger } from '../../../core/logger';
import type { PaymentServices } from './gateway.env';
import type { CreateOrderRequest, ProviderName } from './payment-gateway.provider';
import { routeOrder, type RoutedOrder } from './routing.service';

/**
 * The steps every gateway order shares (students' fee orders and the platform's
 * own orders): our record is inserted first under a unique idempotency key, so
 * concurrent twins never ask a gateway twice; a twin waits here for the first
 * one to leave `pending`; the winner routes the order (cheapest, failover).
 */

/** How long a retry waits for its twin that is still talking to the gateways. */
export const PENDING_WAIT_MS = 15_000;

/** The first order under a key, once it is no longer pending (or as it is, after `waitMs`). */
export async function whenSettled<T extends { status: string }>(find: () => Promise<T | null>, waitMs = PENDING_WAIT_MS): Promise<T | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const doc = await find();
    if (!doc || doc.status !== 'pending' || Date.now() > deadline) return doc;
    await sleep(100);
  }
}

/** SERVICE_UNAVAILABLE before anything is written when no gateway is configured. */
export function assertGateways(svc: PaymentServices): void {
  if (!Object.keys(svc.gateways).length) throw new AppError('SERVICE_UNAVAILABLE', 'No payment gateway is configured');
}

export type OrderRouting = { chosen?: ProviderName; reason: RoutedOrder['reason']; attempts: RoutedOrder['attempts'] };

/**
 * Routes an inserted order; on failure `onFailed` records why and SERVICE_UNAVAILABLE
 * is thrown. Returns the created provider order and the routing to store.
 */
export async function routeOrFail(svc: PaymentServices, req: CreateOrderRequest, log: Logger, onFailed: (routing: OrderRouting) => Promise<unknown>) {
  const routed = await routeOrder(svc.gateways, req, svc.timeoutMs);
  const routing: OrderRouting = { chosen: routed.chosen ?? undefined, reason: routed.reason, attempts: routed.attempts };
  log.info({ orderId: req.receipt, routing }, 'payment order routed');
  if (!routed.created) {
    await onFailed(routing);
    throw new AppError('SERVICE_UNAVAILABLE', 'No payment gateway could create the order, try again later');
  }
  return { created: routed.created, routing };
}

/** The fields every order collection shares (fee orders and platform orders). */
interface OrderDoc {
  _id: Types.ObjectId;
  status: string;
}

/** What `placeOrder` needs from the caller: its collection, its record and what the gateway is asked. */
export interface PlaceOrder<D extends OrderDoc> {
  model: Model<D>;
  /** Our record, inserted as `pending` under its unique idempotency key. */
  record: Record<string, unknown>;
  /** The first order under the key once settled (and checked to be the same request), or null. */
  replay: () => Promise<D | null>;
  svc: PaymentServices;
  log: Logger;
  /** The gateway request for our order id. */
  request: (orderId: string) => CreateOrderRequest;
  /** Runs once the gateway created its order, before ours is marked created (e.g. the webhook index). */
  onCreated?: (provider: ProviderName, providerOrderId: string, order: D) => Promise<unknown>;
}

/**
 * Inserts our order, or replays a twin's when the key is taken; routes it to a gateway
 * (failure: recorded, SERVICE_UNAVAILABLE) and returns it marked `created`.
 */
export async function placeOrder<D extends OrderDoc>(p: PlaceOrder<D>): Promise<D> {
  let order: D;
  try {
    const doc = await p.model.create({ ...p.record, currency: 'INR', status: 'pending' } as unknown as Partial<D>);
    order = doc.toObject() as D;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await p.replay())!;
  }
  const { created, routing } = await routeOrFail(p.svc, p.request(order._id.toHexString()), p.log, (failed) =>
    p.model.updateOne({ _id: order._id }, { $set: { status: 'failed', routing: failed } }),
  );
  const { provider, providerOrderId, checkout } = created;
  await p.onCreated?.(provider, providerOrderId, order);
  return (await p.model
    .findOneAndUpdate({ _id: order._id }, { $set: { status: 'created', provider, providerOrderId, checkout, routing } }, { returnDocument: 'after' })
    .lean<D>())!;
}
