import { setTimeout as sleep } from 'node:timers/promises';
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
