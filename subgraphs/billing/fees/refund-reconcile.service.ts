import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { PaymentServices } from '../providers/gateway.env';
import type { ProviderName, RefundState } from '../providers/payment-gateway.provider';
import { paymentModel, type PaymentDoc } from './payment.model';
import { ABSENT_FAIL_MS, refundsToCheck } from './refund-due.service';
import { failAndReverse, finishRefund, markProcessed, refundLookup } from './refund.service';

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
    const payment = await paymentModel(conn).findById(link.paymentId).lean<PaymentDoc>();
    if (link.status !== 'pending') {
      if (payment) await finishRefund(conn, payment, link, today);
      report.finished++;
      continue;
    }
    const gateway = link.provider ? gateways.gateways[link.provider as ProviderName] : undefined;
    let state: RefundState = { status: 'pending', providerRefundId: '' };
    if (payment && gateway) {
      state = await gateway
        .refundStatus(refundLookup(payment, link), AbortSignal.timeout(gateways.timeoutMs))
        .catch((err: unknown) => (log.warn({ refundId: link._id, error: (err as Error).message }, 'refund status unknown; asked again later'), state));
    }
    const young = now.getTime() - link.createdAt.getTime() < ABSENT_FAIL_MS;
    if (!payment || state.status === 'pending' || (state.status === 'absent' && young)) {
      report.pending++;
      continue;
    }
    const settled = state.status === 'processed' ? await markProcessed(conn, link, state.providerRefundId) : await failAndReverse(conn, payment, link);
    await finishRefund(conn, payment, settled, today);
    report[settled.status === 'processed' ? 'processed' : 'failed']++;
  }
  return report;
}
