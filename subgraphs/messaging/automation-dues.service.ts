import { tenantLabel } from './automation.events';
import type { DuesRuleDoc } from './automation.model';
import { rupees } from './automation-content.service';
import { sendAutomated, type Outcome } from './automation-send.service';
import { loadSettings } from './automation-settings.service';
import { MAX_DUES, pendingDues as billingPendingDues, type PendingDue } from './dues.client';
import { dueStudents } from './students.client';
import { parseId } from '../../core/ids';
import { runtimeDeps, serviceContext, type MessagingContext } from './context';

/** Most students one run reminds, read from billing in pages; the biggest amounts owed come first. */
export const MAX_DUES_PER_RUN = MAX_DUES;
const BATCH = 100;

type Due = PendingDue;

export interface DuesReport {
  considered: number;
  sent: number;
  skipped: number;
  failed: number;
}

/**
 * The unpaid period a reminder belongs to: the due date of the oldest unpaid
 * charge, plus the repeat number when reminders repeat. Same period → same key
 * → one message; once paid, the next overdue charge starts a new period.
 */
export function duesPeriod(due: Due, rule: DuesRuleDoc): string {
  if (!rule.repeatEveryDays) return due.overdueSince;
  return `${due.overdueSince}+${Math.floor(Math.max(0, due.daysOverdue - rule.afterDays) / rule.repeatEveryDays)}`;
}

/**
 * One run for one tenant, as the messaging service (`ctxFor` mints a fresh
 * service credential per batch): billing lists the due students, the student
 * subgraph gives their contacts, each gets at most one reminder per period.
 */
export async function runDuesReminders(ctxFor: () => MessagingContext, rule: DuesRuleDoc, libraryId?: string): Promise<DuesReport> {
  const report: DuesReport = { considered: 0, sent: 0, skipped: 0, failed: 0 };
  if (!rule.enabled) return report;
  let ctx = ctxFor();
  const pendingDues = await billingPendingDues(ctx, rule.afterDays, MAX_DUES_PER_RUN);
  const tenant = await tenantLabel(ctx);
  for (let i = 0; i < pendingDues.length; i += BATCH) {
    if (i > 0) ctx = ctxFor();
    const dues = pendingDues.slice(i, i + BATCH);
    const students = await dueStudents(
      ctx,
      dues.map((d) => d.student.id),
    );
    for (const [j, due] of dues.entries()) {
      const student = students[j];
      if (libraryId && student?.library?.id !== libraryId) continue;
      report.considered++;
      let outcome: Outcome = 'skipped';
      if (student && student.status === 'ACTIVE') {
        outcome = await sendAutomated(ctx, {
          kind: 'dues',
          key: `dues:${student.id}:${duesPeriod(due, rule)}`,
          rule,
          student,
          values: { name: student.name, tenant, days: String(due.daysOverdue), amount: rupees(due.amountDue) },
        });
      }
      report[outcome]++;
    }
  }
  return report;
}

/** sendDuesReminders: the caller's tenant, now, with the service's own credential (the caller sees counts only). */
export async function sendDuesRemindersNow(ctx: MessagingContext, libraryId: string | null) {
  const library = libraryId != null ? parseId(libraryId, 'libraryId').toHexString() : undefined;
  const tenant = await ctx.tenant();
  const settings = await loadSettings(await ctx.tenantDb(), ctx.services.automation);
  const deps = runtimeDeps(ctx.services.automation);
  return runDuesReminders(() => serviceContext(deps, { id: tenant._id.toHexString(), slug: tenant.slug }), settings.dues, library);
}
