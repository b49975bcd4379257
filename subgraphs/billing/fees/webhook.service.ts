import type { BillingDeps } from '../context';
import { emitterOf } from '../../../core/events/outbox';
import { tenantById } from '../../../core/tenancy/tenant-db';
import { orderIndexId, orderIndexModel, type OrderIndexDoc } from './order-index.model';
import { paymentOrderModel, type PaymentOrderDoc } from './order.model';
import type { ProviderName } from '../providers/payment-gateway.provider';
import { settleOrder, type GatewayPayment } from './settle.service';

export type SettleOutcome = 'recorded' | 'duplicate' | 'unknown-order';

/**
 * Settles a captured payment reported by a webhook. There is no user token: the
 * platform index maps the provider's order id to the tenant and our order.
 */
export async function settleFromWebhook(deps: BillingDeps, provider: ProviderName, providerOrderId: string, paid: GatewayPayment): Promise<SettleOutcome> {
  const platform = deps.db.platform();
  const entry = await orderIndexModel(platform).findById(orderIndexId(provider, providerOrderId)).lean<OrderIndexDoc>();
  if (!entry) return 'unknown-order';
  const found = await tenantById(deps.db, entry.tenantId.toHexString());
  if (!found) return 'unknown-order';
  const { tenant, conn } = found;
  const order = await paymentOrderModel(conn).findById(entry.orderId).lean<PaymentOrderDoc>();
  if (!order) return 'unknown-order';
  const emit = emitterOf(deps);
  const { created } = await settleOrder(conn, tenant._id.toHexString(), order, paid, emit);
  return created ? 'recorded' : 'duplicate';
}
