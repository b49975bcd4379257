import type { BillingContext } from '../context';
import { notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { billedTenant } from '../platform/order.service';
import { platformOrderModel, type PlatformOrderDoc } from '../platform/order.model';
import { toPlatformOrder } from '../platform/order.service';
import { billingDeps } from '../platform/runtime.service';
import { saasDunningModel, saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import { orderFor } from './invoice.service';
import { currentSubscription, now, scopeFor } from './subscription.service';
import { toSubscription } from './subscription.resolver';
import { DunningStep, type SaasAccount, type SaasInvoice, type SaasInvoiceStatus } from './invoice.type';
import type { BillingCycle, SaasPlan } from './plan-catalog.service';

export const toInvoice = (d: SaasInvoiceDoc): SaasInvoice => ({
  id: d._id.toHexString(),
  tenantId: d.tenantId,
  number: d.number,
  kind: d.kind,
  plan: d.plan as SaasPlan,
  cycle: d.cycle as BillingCycle,
  amount: d.amount,
  credit: d.credit,
  taxableValue: d.taxableValue,
  tax: d.tax,
  status: d.status as SaasInvoiceStatus,
  issuedAt: d.issuedAt,
  dueAt: d.dueAt,
  paidAt: d.paidAt ?? undefined,
  periodStart: d.periodStart ?? undefined,
  orderId: d.orderId?.toHexString(),
});

/** The tenant's SaaS account: its last 50 invoices, what it owes, grace and dunning step. */
export async function saasAccount(ctx: BillingContext): Promise<SaasAccount> {
  const tenant = await billedTenant(ctx);
  const deps = billingDeps(ctx.services);
  const scope = scopeFor(deps, tenant, now(ctx));
  const s = await currentSubscription(scope);
  const docs = await saasInvoiceModel(scope.platform).find({ tenantId: scope.tenantId }).sort({ issuedAt: -1, _id: -1 }).limit(50).lean<SaasInvoiceDoc[]>();
  const open = docs.filter((d) => d.status === 'OPEN');
  const overdue = open.filter((d) => d.dueAt <= scope.at).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())[0];
  const steps = overdue ? await saasDunningModel(scope.platform).find({ invoiceId: overdue._id }).lean() : [];
  const has = (step: string) => steps.some((x) => x.step === step);
  const dunningStep = has('SUSPEND')
    ? DunningStep.SUSPENDED
    : overdue
      ? DunningStep.OVERDUE
      : open.some((d) => d.kind === 'RENEWAL')
        ? DunningStep.ISSUED
        : DunningStep.NONE;
  return {
    subscription: s ? toSubscription(s) : undefined,
    amountOwed: open.reduce((sum, d) => sum + d.amount, 0),
    overdueSince: overdue?.dueAt,
    graceEndsAt: overdue ? new Date(overdue.dueAt.getTime() + scope.graceMs) : undefined,
    dunningStep,
    suspended: tenant.status === 'suspended',
    invoices: docs.map(toInvoice),
  };
}

/** Platform: SaaS invoices across tenants by status, oldest due first. */
export async function listSaasInvoices(ctx: BillingContext, status: SaasInvoiceStatus, first: number) {
  const docs = await saasInvoiceModel(ctx.db.platform()).find({ status }).sort({ dueAt: 1, _id: 1 }).limit(first).lean<SaasInvoiceDoc[]>();
  return docs.map(toInvoice);
}

/** The platform order paying one of the caller's SaaS invoices (NOT_FOUND for another tenant's). */
export async function paySaasInvoice(ctx: BillingContext, invoiceId: string) {
  const tenant = await billedTenant(ctx);
  const inv = await saasInvoiceModel(ctx.db.platform())
    .findOne({ _id: parseId(invoiceId, 'invoiceId'), tenantId: tenant._id.toHexString() })
    .lean<SaasInvoiceDoc>();
  if (!inv) throw notFound('SaasInvoice');
  return orderFor(ctx, inv);
}

/** A SaaS invoice's platform payment order, or null. */
export async function invoiceOrder(ctx: BillingContext, orderId: string) {
  const doc = await platformOrderModel(ctx.db.platform()).findById(orderId).lean<PlatformOrderDoc>();
  return doc ? toPlatformOrder(doc) : null;
}

/** A SaaS invoice by id (a subscription change's), or null. */
export async function findSaasInvoice(ctx: BillingContext, id: string) {
  const doc = await saasInvoiceModel(ctx.db.platform()).findById(id).lean<SaasInvoiceDoc>();
  return doc ? toInvoice(doc) : null;
}
