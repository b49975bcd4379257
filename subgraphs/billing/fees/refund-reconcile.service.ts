import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { PaymentServices } from '../providers/gateway.env';
import type { ProviderName, RefundState } from '../providers/payment-gateway.provider';
import { paymentModel, type PaymentDoc } from './payment.model';
import type { RefundDoc } from './refund.model';
import { ABSENT_FAIL_MS, refundsToCheck } from './refund-due.service';
import { finishRefund, markFailed, markProcessed, refundLookup } from './refund.service';

export interface ReconcileReport {
  processed: number;
  failed: number;
  pending: number;
  /** Outcomes settled before, whose effects a crash left unwritten, now written. */
  finished: number;
}

/**
 * Settles the tenant's gateway refunds left pending by a timeout (the gateway may or may
 * not have refunded), asking the gateway for each: refunded → PROCESSED and out of the dues
 * ledger; refused, or never received and over ABSENT_FAIL_MS old → FAILED with its reversal
 * link (the amount is refundable again); still pending → asked again later. Each outcome is once per refund
 * (the dues entry and the reversal are keyed), so two reconcilers at once, or a retry, change
 * nothing more. A refund whose outcome was written but not all its effects (a crash in
 * between, here or in refundPayment) is finished without asking the gateway again.
 */
export async function reconcileRefunds(conn: Connection, gateways: PaymentServices, now: Date, today: string, log: Logger): Promise<ReconcileReport> {
  const report: ReconcileReport = { processed: 0, failed: 0, pending: 0, finished: 0 };
  for (const link of await refundsToCheck(conn, now)) {
    // One refund that cannot be settled (bad data, a store error) must not hold up the others.
    const outcome = await reconcileOne(conn, gateways, link, now, today, log).catch((err: unknown) => {
      log.error({ err, refundId: link._id }, 'refund not reconciled; tried again later');
      return 'pending' as const;
    });
    report[outcome]++;
  }
  return report;
}

async function reconcileOne(
  conn: Connection,
  gateways: PaymentServices,
  link: RefundDoc,
  now: Date,
  today: string,
  log: Logger,
): Promise<keyof ReconcileReport> {
  const payment = await paymentModel(conn).findById(link.paymentId).lean<PaymentDoc>();
  if (!payment) {
    log.error({ refundId: link._id }, 'refund of a payment that does not exist; left as it is');
    return 'pending';
  }
  if (link.status !== 'pending') {
    await finishRefund(conn, payment, link, today);
    return 'finished';
  }
  const gateway = link.provider ? gateways.gateways[link.provider as ProviderName] : undefined;
  let state: RefundState = { status: 'pending', providerRefundId: '' };
  if (gateway) {
    state = await gateway
      .refundStatus(refundLookup(payment, link), AbortSignal.timeout(gateways.timeoutMs))
      .catch((err: unknown) => (log.warn({ refundId: link._id, error: (err as Error).message }, 'refund status unknown; asked again later'), state));
  }
  const young = now.getTime() - link.createdAt.getTime() < ABSENT_FAIL_MS;
  if (state.status === 'pending' || (state.status === 'absent' && young)) return 'pending';
  const settled = state.status === 'processed' ? await markProcessed(conn, link, state.providerRefundId) : await markFailed(conn, link);
  await finishRefund(conn, payment, settled, today);
  return settled.status === 'processed' ? 'processed' : 'failed';
}
