import type { BillingContext, BillingDeps } from '../context';
import { callSubgraph } from '../../../core/internal';
import type { TenantRecord } from '../../../core/tenancy/registry';
import type { PlatformOrderDoc } from './order.model';
import { billingServiceContext } from './service-context.service';

/** Internal API of the credits subgraph (@inaccessible), called as the billing service. */
const DELIVER = 'mutation($o: ID!, $p: ID!, $a: Int!) { deliverCreditPackage(orderId: $o, packageId: $p, amountPaid: $a) }';

/** Credits the package of a paid order to the tenant's wallet; credits keys it by the order (exactly once). */
export async function deliverCreditPackage(deps: BillingDeps, tenant: TenantRecord, order: PlatformOrderDoc): Promise<void> {
  const ctx = billingServiceContext(deps, { id: tenant._id.toHexString(), slug: tenant.slug });
  await callSubgraph(ctx, 'credits', DELIVER, { o: order._id.toHexString(), p: order.packageId, a: order.capture?.amount ?? order.amount });
}

/** The price of a credit package (null if none has that id), asked of credits with the caller's own token. */
export async function creditPackagePrice(ctx: BillingContext, packageId: string): Promise<{ id: string; pricePaise: number } | null> {
  const data = await callSubgraph<{ creditPackages: { id: string; pricePaise: number }[] }>(ctx, 'credits', '{ creditPackages { id pricePaise } }');
  return data.creditPackages.find((p) => p.id === packageId.toLowerCase()) ?? null;
}
