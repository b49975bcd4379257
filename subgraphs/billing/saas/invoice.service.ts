import { trusted, type Connection } from 'mongoose';
import type { BillingContext, BillingDeps } from '../context';
import { AppError, conflict } from '../../../core/errors';
import type { TenantRecord } from '../../../core/tenancy/registry';
import { istMonth } from '../../../core/tenant-time';
import { splitGst } from '../invoicing/gst.service';
import { releaseInvoiceNumber, takeInvoiceNumber } from '../invoicing/invoice.service';
import { createPlatformOrder } from '../platform/order.service';
import type { PlatformOrderDoc } from '../platform/order.model';
import { priceOf, type BillingCycle, type SaasPlan } from './plan-catalog.service';
import { saasChargeModel } from './saas-revenue.model';
import { saasDunningModel, saasInvoiceModel, type SaasInvoiceDoc } from './invoice.model';
import {
  apply,
  currentSubscription,
  freshPeriod,
  load,
  record,
  renewalKey,
  sameRequest,
  scopeFor,
  type Planned,
  type Request,
  type Scope,
} from './subscription.service';
import { subscriptionChangeModel, type SubscriptionChangeDoc, type SubscriptionDoc } from './subscription.model';
import { isDuplicateKey } from '../../../core/store/duplicate-key';
import { markFeeCycleAfterReactivation } from '../memberships/fee-cycle-due.service';

/** GST on the platform's SaaS service: 18%, prices are GST-inclusive (IGST shown; the place of supply is the tenant's). */
const SAAS_GST_RATE = 18;
const SERIES = 'SAAS';

const Invoices = (platform: Connection) => saasInvoiceModel(platform);

type NewInvoice = Omit<SaasInvoiceDoc, '_id' | 'number' | 'createdAt' | 'taxableValue' | 'tax' | 'status' | 'tenantId'>;

async function mineByKeyOrSlot(Model: ReturnType<typeof Invoices>, tenantId: string, inv: NewInvoice) {
  return (await Model.findOne({ tenantId, key: inv.key }).lean<SaasInvoiceDoc>()) ?? Model.findOne({ tenantId, slot: inv.slot }).lean<SaasInvoiceDoc>();
}

/**
 * Inserts an invoice once per (tenant, key) and per open slot, with the next
 * number of the platform's SAAS series. A racer that lost on key or slot gives its
 * number back (no gap); a number FerretDB handed out twice is retaken.
 */
async function insertInvoice(scope: Scope, inv: NewInvoice): Promise<{ doc: SaasInvoiceDoc | null; existing: SaasInvoiceDoc | null }> {
  const Model = Invoices(scope.platform);
  for (let attempt = 0; attempt < 5; attempt++) {
    const byKey = await Model.findOne({ tenantId: scope.tenantId, key: inv.key }).lean<SaasInvoiceDoc>();
    if (byKey) return { doc: null, existing: byKey };
    const taken = await takeInvoiceNumber(scope.platform, inv.issuedAt, SERIES);
    const gst = splitGst(inv.amount, SAAS_GST_RATE, true);
    try {
      const doc = (
        await Model.create({ ...inv, tenantId: scope.tenantId, number: taken.number, taxableValue: gst.taxableValue, tax: gst.totalTax, status: 'OPEN' })
      ).toObject() as SaasInvoiceDoc;
      return { doc, existing: null };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (await Model.exists({ number: taken.number })) {
        // Our number was issued twice (FerretDB's non-atomic $inc), unless our own key/slot also lost.
        const mine = await mineByKeyOrSlot(Model, scope.tenantId, inv);
        if (mine) return { doc: null, existing: mine };
        continue;
      }
      await releaseInvoiceNumber(scope.platform, taken);
      const mine = await mineByKeyOrSlot(Model, scope.tenantId, inv);
      if (mine) return { doc: null, existing: mine };
    }
  }
  throw conflict('The invoice could not be numbered, try again');
}

/** Failed orders (gateway outages) an invoice may leave behind before one is opened. */
const MAX_FAILED_ORDERS = 20;

/**
 * The platform order that collects an invoice: one per invoice (key
 * 'invoice:<id>'). An order that failed (every gateway down) is not the end: the
 * next one is keyed by the failed one ('invoice:<id>:after:<failed id>'), so
 * concurrent retries (cycle, paySaasInvoice, the pay link) open ONE new order.
 */
export async function orderFor(ctx: BillingContext, inv: SaasInvoiceDoc): Promise<PlatformOrderDoc> {
  let key = `invoice:${inv._id.toHexString()}`;
  for (let i = 0; i < MAX_FAILED_ORDERS; i++) {
    const order = await createPlatformOrder(ctx, {
      tenantId: inv.tenantId,
      purpose: 'SAAS_INVOICE',
      invoiceId: inv._id,
      amount: inv.amount,
      idempotencyKey: key,
      createdBy: ctx.auth?.sub,
    });
    if (order.status !== 'failed') {
      if (!inv.orderId?.equals(order._id)) await Invoices(ctx.db.platform()).updateOne({ _id: inv._id, status: 'OPEN' }, { $set: { orderId: order._id } });
      return order;
    }
    key = `invoice:${inv._id.toHexString()}:after:${order._id.toHexString()}`;
  }
  throw new AppError('SERVICE_UNAVAILABLE', 'The payment gateways are unavailable; try again later');
}

/** A change request's invoice already issued under this key (same request) or null; another request is a CONFLICT. */
export async function invoicedChange(scope: Scope, r: Request): Promise<SaasInvoiceDoc | null> {
  if (!r.idempotencyKey) return null;
  const inv = await Invoices(scope.platform)
    .findOne({ tenantId: scope.tenantId, key: `change:${r.idempotencyKey}` })
    .lean<SaasInvoiceDoc>();
  if (inv && !sameRequest({ kind: inv.request.kind, request: inv.request }, r))
    throw conflict('idempotencyKey was already used for a different change', 'idempotencyKey');
  return inv;
}

/**
 * A change that costs money is invoiced, not applied: the plan changes when the
 * invoice is paid (invoicePaid). One open change invoice per subscription version:
 * a second request for another change while one awaits payment is a CONFLICT.
 */
export function changeInvoicer(ctx: BillingContext) {
  return async (scope: Scope, r: Request, planned: Planned, base: SubscriptionDoc | null): Promise<SaasInvoiceDoc> => {
    const { doc, existing } = await insertInvoice(scope, {
      key: `change:${r.idempotencyKey}`,
      slot: `change:v${base?.version ?? 0}`,
      kind: planned.kind,
      plan: planned.next.plan,
      cycle: planned.next.cycle,
      amount: planned.amountDue,
      credit: planned.credit,
      request: { kind: r.kind, ...r.request },
      issuedAt: scope.at,
      dueAt: scope.at,
      createdBy: ctx.auth?.sub,
    });
    if (existing) {
      if (existing.key !== `change:${r.idempotencyKey}`) {
        throw conflict(`Invoice ${existing.number} for another plan change awaits payment; pay or void it first`);
      }
      if (!sameRequest({ kind: existing.request.kind, request: existing.request }, r))
        throw conflict('idempotencyKey was already used for a different change', 'idempotencyKey');
      return existing;
    }
    return doc!;
  };
}

/**
 * The renewal invoice of the period ending at `s.periodEnd` (for the pending
 * downgrade's plan if one is scheduled), issued once however often asked: by the
 * billing cycle N days ahead, or by the owner's renewSubscription.
 */
export async function ensureRenewalInvoice(
  scope: Scope,
  s: SubscriptionDoc,
  createdBy?: string,
  issued?: { created: boolean },
): Promise<SaasInvoiceDoc | null> {
  const plan = (s.pendingPlan ?? s.plan) as SaasPlan;
  const cycle = (s.pendingCycle ?? s.cycle) as BillingCycle;
  const amount = priceOf(plan, cycle);
  if (amount === 0) return null;
  const key = renewalKey(s.periodEnd);
  const { doc, existing } = await insertInvoice(scope, {
    key,
    slot: key,
    kind: 'RENEWAL',
    plan,
    cycle,
    amount,
    credit: 0,
    request: { kind: 'RENEWAL', plan, cycle },
    periodStart: s.periodEnd,
    issuedAt: scope.at,
    dueAt: s.periodEnd,
    createdBy,
  });
  if (issued) issued.created = !!doc;
  return doc ?? existing;
}

/**
 * What a paid invoice changes in the subscription, planned on the version current
 * at payment: a change starts a full period now; a renewal paid before the period
 * ends waits for it (currentSubscription starts it at periodEnd); one paid in the
 * grace period continues from periodEnd, one paid after it from now.
 */
function paidPlan(inv: SaasInvoiceDoc, s: SubscriptionDoc | null, scope: Scope): Planned | null {
  if (inv.kind !== 'RENEWAL') return { kind: inv.kind, next: freshPeriod(inv.plan, inv.cycle, scope.at), amountDue: inv.amount, credit: inv.credit };
  const start = inv.periodStart!;
  if (s && s.periodEnd.getTime() !== start.getTime()) return null; // the subscription moved on (e.g. already renewed)
  if (s && (s.status === 'ACTIVE' || s.status === 'TRIAL')) return null; // paid early: starts at periodEnd
  const inGrace = scope.at.getTime() <= start.getTime() + scope.graceMs;
  return { kind: 'RENEWAL', next: freshPeriod(inv.plan, inv.cycle, inGrace ? start : scope.at), amountDue: inv.amount, credit: 0 };
}

/** Applies a paid invoice to the subscription exactly once (change key 'invoice:<id>'). */
async function applyPaid(scope: Scope, inv: SaasInvoiceDoc): Promise<void> {
  const key = `invoice:${inv._id.toHexString()}`;
  for (let attempt = 0; attempt < 8; attempt++) {
    const done = await subscriptionChangeModel(scope.conn).findOne({ idempotencyKey: key }).lean<SubscriptionChangeDoc>();
    if (done) return void (await apply(scope, done, null));
    const s = await currentSubscription(scope);
    if (inv.kind === 'RENEWAL' && s && s.status === 'ACTIVE' && s.periodStart.getTime() === inv.periodStart?.getTime()) return; // started at periodEnd
    const planned = paidPlan(inv, s, scope);
    if (!planned) return;
    const rec = await record(scope, s, planned, { kind: 'PAY', effect: inv.kind, request: { plan: inv.plan, cycle: inv.cycle }, idempotencyKey: key });
    if (rec) return;
  }
  throw conflict('The subscription kept changing while a payment was applied; it is applied on the next report');
}

/**
 * A platform order for an invoice was captured: the invoice is PAID (its slot
 * freed), the platform's revenue recorded once, the subscription changed once,
 * and a tenant suspended for this invoice reactivated. Every step is idempotent,
 * so replays and concurrent reports converge.
 */
export async function invoicePaid(deps: BillingDeps, tenant: TenantRecord, order: PlatformOrderDoc): Promise<void> {
  const platform = deps.db.platform();
  const inv = await Invoices(platform).findById(order.invoiceId).lean<SaasInvoiceDoc>();
  if (!inv) throw new Error('paid order of an unknown SaaS invoice');
  const paidAt = order.capture?.at ?? new Date();
  if (inv.status === 'VOID')
    deps.log.warn({ invoiceId: inv._id.toHexString() }, 'a void SaaS invoice was paid: applied if still possible, otherwise refund it');
  if (inv.status !== 'PAID') {
    await Invoices(platform).updateOne({ _id: inv._id }, { $set: { status: 'PAID', paidAt, slot: `done:${inv._id.toHexString()}`, orderId: order._id } });
  }
  try {
    await saasChargeModel(platform).create({
      _id: `${inv.tenantId}:invoice:${inv._id.toHexString()}`,
      tenantId: inv.tenantId,
      plan: inv.plan,
      cycle: inv.cycle,
      effect: inv.kind,
      amount: inv.amount,
      month: istMonth(paidAt),
      at: paidAt,
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const scope = scopeFor(deps, tenant);
  await applyPaid(scope, { ...inv, status: 'PAID', paidAt });
  await reactivateIfSettled(scope, inv._id.toHexString());
}

/** Inserts a dunning step once; true for the one caller that inserted it. */
export async function stepOnce(scope: Scope, inv: SaasInvoiceDoc, step: string): Promise<boolean> {
  try {
    await saasDunningModel(scope.platform).create({ _id: `${inv._id.toHexString()}:${step}`, tenantId: scope.tenantId, invoiceId: inv._id, step });
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return false;
  }
}

/**
 * A tenant suspended for an overdue invoice gets reactivated once that invoice
 * (and no other overdue one) is paid: `saas.reactivate`, once per invoice.
 */
export async function reactivateIfSettled(scope: Scope, invoiceId: string): Promise<boolean> {
  const Dunning = saasDunningModel(scope.platform);
  if (!(await Dunning.exists({ _id: `${invoiceId}:SUSPEND` }))) return false;
  const overdue = await Invoices(scope.platform).exists({
    tenantId: scope.tenantId,
    status: 'OPEN',
    kind: 'RENEWAL',
    dueAt: trusted({ $lte: new Date(scope.at.getTime() - scope.graceMs) }),
  });
  if (overdue) return false;
  const inv = (await Invoices(scope.platform).findById(invoiceId).lean<SaasInvoiceDoc>())!;
  if (!(await stepOnce(scope, inv, 'REACTIVATE'))) return false;
  await scope.emit('saas.reactivate', { tenantId: scope.tenantId, invoiceId }, invoiceId);
  await markFeeCycleAfterReactivation(scope.platform, scope.tenantId, scope.at);
  return true;
}

/** The tenant's subscription after settling, for resolvers that also answer with invoices. */
export const settled = (scope: Scope) => currentSubscription(scope).then(() => load(scope.conn));
