import { Types } from 'mongoose';
import { startConsumer, type Delivery } from '../../core/events/outbox';
import { tenantById } from '../../core/tenancy/tenant-db';
import { rupees } from './automation-content.service';
import { sendAutomated } from './automation-send.service';
import { loadSettings } from './automation-settings.service';
import { receiptPayment } from './billing.client';
import { studentContact } from './students.client';
import { serviceContext, type AutomationRuntime, type MessagingDeps, type MessagingContext } from './context';

const isId = (v: unknown): v is string => typeof v === 'string' && Types.ObjectId.isValid(v) && /^[0-9a-f]{24}$/i.test(v);

/** The tenant's active record and settings, or null when the event names no usable tenant. */
async function tenantOf(deps: MessagingDeps, runtime: AutomationRuntime, e: { tenantId: string }) {
  if (!isId(e.tenantId)) return null;
  const found = await tenantById(deps.db, e.tenantId, { active: true });
  if (!found) return null;
  const settings = await loadSettings(found.conn, runtime);
  return { tenant: found.tenant, settings };
}

export const tenantLabel = async (ctx: MessagingContext) => {
  const t = await ctx.tenant();
  return t.branding?.displayName || t.name;
};

/** student.created → one welcome message (key welcome:<studentId>). Throws (→ retry) when student cannot be asked. */
async function welcome(deps: MessagingDeps, runtime: AutomationRuntime, { event: e, attempt }: Delivery<'student.created'>) {
  const found = await tenantOf(deps, runtime, e);
  if (!found?.settings.welcome.enabled || !isId(e.studentId)) return;
  const ctx = serviceContext(deps, { id: e.tenantId, slug: found.tenant.slug });
  const student = await studentContact(ctx, e.studentId);
  if (!student) return;
  await sendAutomated(ctx, {
    kind: 'welcome',
    key: `welcome:${e.studentId}`,
    rule: found.settings.welcome,
    student,
    resume: attempt > 1,
    values: { name: student.name, tenant: await tenantLabel(ctx) },
  });
}

/** payment.recorded → one receipt (key receipt:<paymentId>) with the amount and invoice number from billing. */
async function receipt(deps: MessagingDeps, runtime: AutomationRuntime, { event: e, attempt }: Delivery<'payment.recorded'>) {
  const found = await tenantOf(deps, runtime, e);
  if (!found?.settings.receipt.enabled || !isId(e.paymentId) || !isId(e.studentId)) return;
  const ctx = serviceContext(deps, { id: e.tenantId, slug: found.tenant.slug });
  const payment = await receiptPayment(ctx, e.paymentId);
  const student = payment ? await studentContact(ctx, e.studentId) : null;
  if (!payment || !student) return;
  await sendAutomated(ctx, {
    kind: 'receipt',
    key: `receipt:${e.paymentId}`,
    rule: found.settings.receipt,
    student,
    resume: attempt > 1,
    values: { name: student.name, tenant: await tenantLabel(ctx), amount: rupees(payment.amount), invoice: payment.invoice?.number ?? '-' },
  });
}

/**
 * The automations as durable consumers (messaging.welcome, messaging.receipt):
 * each event at least once, one instance at a time; the send's claim key keeps
 * a redelivery from sending twice. Returns the stop.
 */
export function startAutomationConsumers(deps: MessagingDeps, runtime: AutomationRuntime): () => Promise<void> {
  const consumers = [
    startConsumer(deps, 'messaging.welcome', (d) => welcome(deps, runtime, d)),
    startConsumer(deps, 'messaging.receipt', (d) => receipt(deps, runtime, d)),
  ];
  return async () => void (await Promise.all(consumers.map((c) => c.stop())));
}
