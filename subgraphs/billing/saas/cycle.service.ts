import { trusted } from 'mongoose';
import { servicesOf, type BillingDeps } from '../context';
import { tenantRegistry, type TenantRecord } from '../../../core/tenancy/registry';
import { billingServiceContext } from '../platform/service-context.service';
import { DAY_MS } from './plan-catalog.service';
import { saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import { signPayLink } from './pay-link.service';
import { ensureRenewalInvoice, orderFor, reactivateIfSettled, stepOnce } from './invoice.service';
import { currentSubscription, scopeFor, type Scope } from './subscription.service';

export interface CycleReport {
  at: Date;
  tenants: number;
  invoicesIssued: number;
  reminders: number;
  suspended: number;
  reactivated: number;
  failed: number;
}

/**
 * The SaaS billing cycle, for every tenant at `at`:
 *  1. settle the subscription (a paid renewal starts the next period; an unpaid
 *     one turns PAST_DUE at periodEnd and EXPIRED when the grace period ends);
 *  2. issue the renewal invoice SAAS_RENEWAL_NOTICE_DAYS before periodEnd, with its
 *     platform payment order;
 *  3. dunning of each open renewal invoice: ISSUED, OVERDUE (period ended), then
 *     SUSPEND after the grace period (the tenant subgraph suspends on `saas.suspend`);
 *  4. reactivation of a tenant suspended for an invoice paid since.
 * Safe to run twice and on two instances at once: every effect is a unique insert
 * (renewal invoice per period, one dunning step per invoice, one order per invoice)
 * and the winner alone publishes.
 */
export async function runBillingCycle(deps: BillingDeps, at: Date): Promise<CycleReport> {
  const report: CycleReport = { at, tenants: 0, invoicesIssued: 0, reminders: 0, suspended: 0, reactivated: 0, failed: 0 };
  const tenants = await tenantRegistry(deps.db.platform())
    .find({ status: trusted({ $in: ['active', 'suspended'] }) })
    .lean<TenantRecord[]>();
  for (const tenant of tenants) {
    report.tenants++;
    try {
      await cycleTenant(deps, tenant, scopeFor(deps, tenant, at), report);
    } catch (err) {
      report.failed++;
      deps.log.error({ err, tenantId: tenant._id.toHexString() }, 'saas billing cycle failed for a tenant');
    }
  }
  return report;
}

async function cycleTenant(deps: BillingDeps, tenant: TenantRecord, scope: Scope, report: CycleReport): Promise<void> {
  const s = await currentSubscription(scope);
  const notice = servicesOf(deps).settings.saas.renewalNoticeDays * DAY_MS;
  if (s && (s.status === 'ACTIVE' || s.status === 'PAST_DUE') && !s.trial && !s.cancelAtPeriodEnd && scope.at.getTime() >= s.periodEnd.getTime() - notice) {
    const issued = { created: false };
    await ensureRenewalInvoice(scope, s, 'billing-cycle', issued);
    if (issued.created) report.invoicesIssued++;
  }
  const open = await saasInvoiceModel(scope.platform).find({ tenantId: scope.tenantId, status: 'OPEN', kind: 'RENEWAL' }).lean<SaasInvoiceDoc[]>();
  for (const inv of open) {
    // Only the renewal of the period that is ending (or ended unpaid) is owed: after a cancellation,
    // an upgrade (new period) or a renewal paid otherwise, it is void — never dunned, never a suspension.
    if (!s || s.cancelAtPeriodEnd || s.status === 'CANCELLED' || s.status === 'TRIAL' || s.periodEnd.getTime() !== inv.periodStart?.getTime()) {
      await voidInvoice(scope, inv);
      continue;
    }
    // The order (one per invoice) carries the checkout the reminder points to; a gateway outage is retried next run.
    if (!inv.orderId) {
      await orderFor(billingServiceContext(deps, { id: scope.tenantId, slug: tenant.slug }), inv).catch((err: unknown) =>
        deps.log.warn({ err, invoiceId: inv._id.toHexString() }, 'renewal order not created yet'),
      );
    }
    await dun(deps, scope, inv, report);
  }
  if (tenant.status === 'suspended') {
    const paid = await saasInvoiceModel(scope.platform)
      .find({ tenantId: scope.tenantId, status: 'PAID', kind: 'RENEWAL' })
      .sort({ paidAt: -1 })
      .limit(5)
      .lean<SaasInvoiceDoc[]>();
    for (const inv of paid) if (await reactivateIfSettled(scope, inv._id.toHexString())) report.reactivated++;
  }
}

/** VOID frees the invoice's slot; a payment arriving later is still recorded (and logged for a refund). */
async function voidInvoice(scope: Scope, inv: SaasInvoiceDoc): Promise<void> {
  await saasInvoiceModel(scope.platform).updateOne({ _id: inv._id, status: 'OPEN' }, { $set: { status: 'VOID', slot: `done:${inv._id.toHexString()}` } });
}

/**
 * The dunning steps due for one open renewal invoice, each published once, with
 * what the owners' e-mail needs (the tenant subgraph mails them): the amount and a
 * signed pay link that needs no login (GET /pay/<token>, saas/pay.routes.ts).
 */
async function dun(deps: BillingDeps, scope: Scope, inv: SaasInvoiceDoc, report: CycleReport): Promise<void> {
  const graceEndsAt = new Date(inv.dueAt.getTime() + scope.graceMs);
  const steps: ('ISSUED' | 'OVERDUE' | 'SUSPENDED')[] = ['ISSUED'];
  if (scope.at >= inv.dueAt) steps.push('OVERDUE');
  if (scope.at >= graceEndsAt) steps.push('SUSPENDED');
  for (const step of steps) {
    if (!(await stepOnce(scope, inv, `REMINDER_${step}`))) continue;
    await scope.emit(
      'saas.dunning',
      {
        tenantId: scope.tenantId,
        invoiceId: inv._id.toHexString(),
        number: inv.number,
        step,
        dueAt: inv.dueAt.toISOString(),
        graceEndsAt: graceEndsAt.toISOString(),
        amountDue: inv.amount,
        payUrl: signPayLink(deps.config, servicesOf(deps).settings.saas, { tenantId: scope.tenantId, invoiceId: inv._id.toHexString() }, scope.at).url,
      },
      `${inv._id.toHexString()}:${step}`,
    );
    report.reminders++;
  }
  if (scope.at >= graceEndsAt && (await stepOnce(scope, inv, 'SUSPEND'))) {
    await scope.emit('saas.suspend', { tenantId: scope.tenantId, invoiceId: inv._id.toHexString() }, inv._id.toHexString());
    report.suspended++;
  }
}
