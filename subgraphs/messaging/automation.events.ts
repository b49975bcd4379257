import { Types } from 'mongoose';
import type { ContextDeps, RequestContext } from '../../core/context';
import { topics, type DomainEvent } from '../../core/events';
import { fetchEntities } from '../../core/internal';
import { findTenant } from '../../core/tenancy/registry';
import { rupees } from './automation.content';
import { sendAutomated } from './automation.send';
import { loadSettings } from './automation.settings';
import type { StudentContact } from './message.service';
import { serviceContext, type AutomationRuntime } from './service-context';

const isId = (v: unknown): v is string => typeof v === 'string' && Types.ObjectId.isValid(v) && /^[0-9a-f]{24}$/i.test(v);

/** The tenant's active record and settings, or null when the event names no usable tenant. */
async function tenantOf(deps: ContextDeps, runtime: AutomationRuntime, e: DomainEvent) {
  if (!isId(e.tenantId)) return null;
  const tenant = await findTenant(deps.db.platform(), { id: e.tenantId });
  if (!tenant || tenant.status !== 'active') return null;
  const settings = await loadSettings(deps.db.tenant(tenant.dbName), runtime);
  return { tenant, settings };
}

export const tenantLabel = async (ctx: RequestContext) => {
  const t = await ctx.tenant();
  return t.branding?.displayName || t.name;
};

export async function studentContact(ctx: RequestContext, id: string): Promise<StudentContact | null> {
  const [student] = await fetchEntities<StudentContact>(ctx, 'student', 'Student', [id], 'id name phone email');
  return student ?? null;
}

type Handler = (deps: ContextDeps, runtime: AutomationRuntime, e: DomainEvent) => Promise<void>;

/** student.created → one welcome message (key welcome:<studentId>). */
const welcome: Handler = async (deps, runtime, e) => {
  const found = await tenantOf(deps, runtime, e);
  if (!found?.settings.welcome.enabled || !isId(e.studentId)) return;
  const ctx = serviceContext(deps, { id: e.tenantId, slug: found.tenant.slug });
  const student = await studentContact(ctx, e.studentId);
  if (!student) return;
  await sendAutomated(ctx, {
    kind: 'welcome', key: `welcome:${e.studentId}`, rule: found.settings.welcome, student,
    values: { name: student.name, tenant: await tenantLabel(ctx) },
  });
};

/** payment.recorded → one receipt (key receipt:<paymentId>) with the amount and invoice number from billing. */
const receipt: Handler = async (deps, runtime, e) => {
  const found = await tenantOf(deps, runtime, e);
  if (!found?.settings.receipt.enabled || !isId(e.paymentId) || !isId(e.studentId)) return;
  const ctx = serviceContext(deps, { id: e.tenantId, slug: found.tenant.slug });
  const [payment] = await fetchEntities<{ amount: number; invoice?: { number: string } | null }>(
    ctx, 'billing', 'Payment', [e.paymentId], 'amount invoice { number }',
  );
  const student = payment ? await studentContact(ctx, e.studentId) : null;
  if (!payment || !student) return;
  await sendAutomated(ctx, {
    kind: 'receipt', key: `receipt:${e.paymentId}`, rule: found.settings.receipt, student,
    values: { name: student.name, tenant: await tenantLabel(ctx), amount: rupees(payment.amount), invoice: payment.invoice?.number ?? '-' },
  });
};

const HANDLERS = { 'student.created': welcome, 'payment.recorded': receipt } as const;

/** Subscribes the automations to their domain events; every instance may hear an event, the claim key sends it once. */
export async function startAutomationListeners(deps: ContextDeps, runtime: AutomationRuntime): Promise<() => void> {
  const offs = await Promise.all(
    (Object.keys(HANDLERS) as (keyof typeof HANDLERS)[]).map((name) =>
      deps.pubsub.subscribe(topics.domain(name), (payload) => {
        void HANDLERS[name](deps, runtime, payload as DomainEvent).catch((err: unknown) =>
          deps.log.error({ err, event: name }, 'automated message from event failed'),
        );
      }),
    ),
  );
  return () => offs.forEach((off) => off());
}

