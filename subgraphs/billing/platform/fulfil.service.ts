import type { BillingDeps } from '../context';
import type { TenantRecord } from '../../../core/tenancy/registry';
import { invoicePaid } from '../saas/invoice.service';
import { deliverCreditPackage } from './credits.client';
import type { PlatformOrderDoc } from './order.model';

/** Delivers what a paid platform order bought; every step is idempotent (keyed by the order or invoice). */
export async function fulfil(deps: BillingDeps, tenant: TenantRecord, order: PlatformOrderDoc): Promise<void> {
  if (order.purpose === 'SAAS_INVOICE') return invoicePaid(deps, tenant, order);
  return deliverCreditPackage(deps, tenant, order);
}
