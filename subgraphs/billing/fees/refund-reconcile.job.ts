import { useDueTenantJob } from '../../../core/jobs/due-tenant-job';
import { istDay } from '../../../core/tenant-time';
import { servicesOf, type BillingDeps } from '../context';
import { nextRefundCheck, refundDueMarks } from './refund-due.service';
import { reconcileRefunds } from './refund-reconcile.service';

/**
 * Gateway refunds left pending, reconciled every `intervalMs` in the tenants marked as
 * having one due (./refund-due.service.ts), plus a sweep of every active tenant every 6 h.
 * Safe on several instances and when a run repeats (reconcileRefunds).
 */
export function startRefundReconcileJob(deps: BillingDeps, now: () => Date, intervalMs: number): () => Promise<void> {
  return useDueTenantJob({
    name: 'refund reconcile',
    deps,
    marks: refundDueMarks(deps),
    intervalMs,
    now,
    pass: async (t, conn) => {
      const report = await reconcileRefunds(conn, servicesOf(deps).payments, now(), istDay(now()), deps.log);
      if (report.processed || report.failed || report.finished) deps.log.info({ tenant: t.slug, ...report }, 'pending refunds reconciled');
    },
    next: (conn) => nextRefundCheck(conn, now()),
    // Unmarked: a refund whose process died before its mark, or after its outcome but before
    // all its effects (settling). Rare, and nothing is lost meanwhile: a sweep every 6 h (at
    // 10,000 tenants two reads per tenant) is enough.
    sweepEveryMs: 6 * 3600_000,
  });
}
