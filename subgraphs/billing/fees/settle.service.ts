import type { Connection } from 'mongoose';
import type { Emit } from '../../../core/events';
import type { PaymentOrderDoc } from './order.model';
import { paymentOrderModel } from './order.model';
import type { ProviderName } from '../providers/payment-gateway.provider';
import { claimOrWait } from './claim.service';
import { paymentModel, type PaymentDoc } from './payment.model';
import { announcePayment, insertPayment } from './payment.service';
import { PaymentMethod } from './payment.type';
import { postPayment } from '../memberships/dues.service';

export interface GatewayPayment {
  provider: ProviderName;
  providerPaymentId: string;
  /** Paise actually captured. */
  amount: number;
  /** The gateway's method name (upi, card, credit_card, netbanking...). */
  method?: string;
}

/** Gateway method names → ours; anything else is ONLINE. */
export function methodOf(name?: string): PaymentMethod {
  const m = (name ?? '').toLowerCase();
  if (m === 'upi') return PaymentMethod.UPI;
  if (m === 'card' || m === 'credit_card' || m === 'debit_card') return PaymentMethod.CARD;
  return PaymentMethod.ONLINE;
}

export const gatewayPaymentKey = (p: { provider: string; providerPaymentId: string }) => `${p.provider}:${p.providerPaymentId}`;

/**
 * Records a captured gateway payment against its order, exactly once however
 * often, in whatever order and however concurrently it is reported (checkout
 * verification, webhooks, retries): the unique gatewayPaymentKey decides. Then
 * marks the order PAID (idempotent). A claim first, so racers take no invoice number.
 */
export async function settleOrder(
  conn: Connection,
  tenantId: string,
  order: PaymentOrderDoc,
  paid: GatewayPayment,
  emit: Emit,
): Promise<{ doc: PaymentDoc; created: boolean }> {
  const key = gatewayPaymentKey(paid);
  const announce = announcePayment(emit, tenantId);
  const find = () => paymentModel(conn).findOne({ gatewayPaymentKey: key }).lean<PaymentDoc>();
  const result = await recordOnce(
    find,
    () => claimOrWait(conn, key, find),
    () =>
      insertPayment(
        conn,
        {
          studentId: order.studentId,
          libraryId: order.libraryId,
          amount: paid.amount,
          method: methodOf(paid.method),
          reference: paid.providerPaymentId,
          provider: paid.provider,
          providerPaymentId: paid.providerPaymentId,
          gatewayPaymentKey: key,
          orderId: order._id,
        },
        find,
        announce,
      ),
  );
  // A repeat report re-emits (same key: nothing new), healing a crash before the first emit.
  if (!result.created) await announce(result.doc);
  // Captured money pays the student's dues (once per payment, whoever reports it).
  await postPayment(conn, result.doc);
  if (order.status !== 'paid') {
    await paymentOrderModel(conn).updateOne({ _id: order._id }, { $set: { status: 'paid', paymentId: result.doc._id } });
  }
  return result;
}

/** The payment already recorded, the one a concurrent claimant recorded, or ours. */
async function recordOnce(
  find: () => Promise<PaymentDoc | null>,
  claim: () => Promise<{ won: true } | { won: false; found: PaymentDoc }>,
  insert: () => Promise<{ doc: PaymentDoc; created: boolean }>,
): Promise<{ doc: PaymentDoc; created: boolean }> {
  const existing = await find();
  if (existing) return { doc: existing, created: false };
  const claimed = await claim();
  return claimed.won ? insert() : { doc: claimed.found, created: false };
}
