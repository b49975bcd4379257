import type { Types } from 'mongoose';
import { type BillingContext, type BillingDeps, type BillingServices, servicesOf } from '../context';
import { AppError, badInput, conflict, notFound } from '../../../core/errors';
import { parseId } from '../../../core/ids';
import { findTenant } from '../../../core/tenancy/registry';
import { payments } from '../providers/gateway.env';
import { assertGateways, placeOrder, whenSettled } from '../providers/order-flow.service';
import { razorpayCheckoutSignature, safeEqual } from '../providers/signature.service';
import type { CapturedPayment } from '../providers/webhook.routes';
import type { ProviderName } from '../providers/payment-gateway.provider';
import type { VerifyRazorpayPaymentInput } from '../fees/order.input';
import { platformCaptureModel, platformOrderModel, type PlatformOrderDoc, type PlatformOrderPurpose } from './order.model';
import { fulfil } from './fulfil.service';
import { creditPackagePrice } from './credits.client';
import { now } from '../saas/subscription.service';
import { isDuplicateKey } from '../../../core/store/duplicate-key';

export interface NewPlatformOrder {
  tenantId: string;
  purpose: PlatformOrderPurpose;
  invoiceId?: Types.ObjectId;
  packageId?: string;
  amount: number;
  /** Scoped to the tenant here; the same key replays the first order. */
  idempotencyKey: string;
  createdBy?: string;
}

export const platformPayments = (ctx: { services: Readonly<BillingServices> }) => payments(ctx, 'platformPayments');

/**
 * An order on the platform's own gateway account, with the fee orders' rules
 * (providers/order-flow.ts): our record first under a unique key (twins wait for
 * it), cheapest gateway with failover, routing recorded. A key replayed for a
 * different purpose, invoice, package or amount is a CONFLICT.
 */
export async function createPlatformOrder(ctx: BillingContext, o: NewPlatformOrder) {
  const Orders = platformOrderModel(ctx.db.platform());
  const key = `${o.tenantId}:${o.idempotencyKey}`;
  const replay = async () => {
    const first = await whenSettled(() => Orders.findOne({ idempotencyKey: key }).lean<PlatformOrderDoc>());
    if (!first) return null;
    const same =
      first.purpose === o.purpose &&
      first.amount === o.amount &&
      (first.packageId ?? null) === (o.packageId ?? null) &&
      (first.invoiceId?.toHexString() ?? null) === (o.invoiceId?.toHexString() ?? null);
    if (!same) throw conflict('idempotencyKey was already used for a different order', 'idempotencyKey');
    return first;
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const svc = platformPayments(ctx);
  assertGateways(svc);
  return placeOrder<PlatformOrderDoc>({
    model: Orders,
    record: {
      tenantId: o.tenantId,
      purpose: o.purpose,
      invoiceId: o.invoiceId,
      packageId: o.packageId,
      amount: o.amount,
      idempotencyKey: key,
      createdBy: o.createdBy,
    },
    replay,
    svc,
    log: ctx.log,
    request: (id) => ({
      amount: o.amount,
      currency: 'INR',
      receipt: id,
      notes: { tenant: o.tenantId, orderId: id, purpose: o.purpose },
      customer: { id: o.tenantId },
    }),
  });
}

export type PlatformSettleOutcome = 'recorded' | 'duplicate' | 'unknown-order' | 'underpaid';

/**
 * Records the capture of a platform order exactly once: the capture's `_id` is the
 * order's, so webhook replays, a verify racing the webhook and retries all find the
 * first one. Then (every time, idempotently) marks the order paid and delivers what
 * was bought — so a crash or a failed delivery is completed by the next report.
 */
export async function settlePlatformOrder(deps: BillingDeps, order: PlatformOrderDoc, paid: CapturedPayment): Promise<PlatformSettleOutcome> {
  const platform = deps.db.platform();
  if (paid.amount < order.amount) {
    deps.log.warn({ orderId: order._id.toHexString(), provider: paid.provider }, 'platform order captured for less than its amount: not settled');
    return 'underpaid';
  }
  const gatewayPaymentKey = `${paid.provider}:${paid.providerPaymentId}`;
  let created = true;
  try {
    await platformCaptureModel(platform).create({
      _id: order._id,
      gatewayPaymentKey,
      tenantId: order.tenantId,
      amount: paid.amount,
      at: now({ services: servicesOf(deps) }),
    });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    created = false;
  }
  const capture = await platformCaptureModel(platform).findById(order._id).lean();
  if (!capture) return 'duplicate'; // this provider payment already paid another order: nothing to do
  if (!created && capture.gatewayPaymentKey !== gatewayPaymentKey) {
    deps.log.warn({ orderId: order._id.toHexString(), provider: paid.provider }, 'second payment for an already paid platform order: refund it');
  }
  const [provider, ...rest] = capture.gatewayPaymentKey.split(':');
  // Every writer writes the same values (the one capture's), so racing writers agree.
  await platformOrderModel(platform).updateOne(
    { _id: order._id },
    {
      $set: { status: 'paid', capture: { provider, providerPaymentId: rest.join(':'), amount: capture.amount, at: capture.at } },
    },
  );
  const fresh = (await platformOrderModel(platform).findById(order._id).lean<PlatformOrderDoc>())!;
  if (!fresh.fulfilledAt) {
    const tenant = await findTenant(platform, { id: order.tenantId });
    if (!tenant) throw new Error('platform order of an unknown tenant');
    await fulfil(deps, tenant, fresh);
    await platformOrderModel(platform).updateOne({ _id: order._id }, { $set: { fulfilledAt: new Date() } });
  }
  return created ? 'recorded' : 'duplicate';
}

/** Webhooks of the platform account: the provider's order id names our order. */
export async function settlePlatformWebhook(deps: BillingDeps, provider: ProviderName, providerOrderId: string, paid: CapturedPayment) {
  const order = await platformOrderModel(deps.db.platform()).findOne({ provider, providerOrderId }).lean<PlatformOrderDoc>();
  if (!order) return 'unknown-order';
  return settlePlatformOrder(deps, order, paid);
}

/** The caller's tenant id: its own, or for platform staff the tenant named in x-tenant (in any status). */
export async function billedTenant(ctx: BillingContext) {
  if (ctx.auth?.tid) {
    const t = await findTenant(ctx.db.platform(), { id: ctx.auth.tid });
    if (!t) throw notFound('Tenant');
    return t;
  }
  const slug = ctx.requestedTenant.slug;
  if (!slug) throw badInput('x-tenant', 'platform users must name a tenant in the x-tenant header');
  const t = await findTenant(ctx.db.platform(), { slug });
  if (!t) throw notFound('Tenant');
  return t;
}

/** One order of the caller's tenant (NOT_FOUND for another tenant's). */
export async function platformOrderOf(ctx: BillingContext, id: string) {
  const tenant = await billedTenant(ctx);
  const doc = await platformOrderModel(ctx.db.platform())
    .findOne({ _id: parseId(id, 'id'), tenantId: tenant._id.toHexString() })
    .lean<PlatformOrderDoc>();
  return doc;
}

/** Razorpay Checkout's success callback for a platform order, checked with the PLATFORM key secret. */
export async function verifyPlatformRazorpay(ctx: BillingContext, deps: BillingDeps, input: VerifyRazorpayPaymentInput) {
  const order = await platformOrderOf(ctx, input.orderId);
  if (!order) throw notFound('PlatformPaymentOrder');
  if (order.provider !== 'razorpay' || !order.providerOrderId) throw badInput('orderId', 'is not a Razorpay order');
  const secret = platformPayments(ctx).razorpay?.keySecret;
  if (!secret) throw new AppError('SERVICE_UNAVAILABLE', 'Razorpay is not configured');
  if (!safeEqual(razorpayCheckoutSignature(secret, order.providerOrderId, input.razorpayPaymentId), input.razorpaySignature)) {
    ctx.log.warn({ orderId: input.orderId }, 'platform razorpay checkout signature mismatch');
    throw badInput('razorpaySignature', 'does not match this order and payment');
  }
  // Checkout does not tell the amount; a verified order is paid in full.
  await settlePlatformOrder(deps, order, { provider: 'razorpay', providerPaymentId: input.razorpayPaymentId, amount: order.amount });
  return toPlatformOrder((await platformOrderModel(ctx.db.platform()).findById(order._id).lean<PlatformOrderDoc>())!);
}

/** Starts paying the platform for a credit package at the credits subgraph's price (idempotent per key). */
export async function createCreditPackageOrder(ctx: BillingContext, packageId: string, idempotencyKey: string) {
  const tenant = await ctx.tenant();
  const pkg = await creditPackagePrice(ctx, packageId);
  if (!pkg) throw notFound('CreditPackage');
  return createPlatformOrder(ctx, {
    tenantId: tenant._id.toHexString(),
    purpose: 'CREDIT_PACKAGE',
    packageId: pkg.id,
    amount: pkg.pricePaise,
    idempotencyKey,
    createdBy: ctx.auth?.sub,
  });
}

export const toPlatformOrder = (d: PlatformOrderDoc) => ({
  id: d._id.toHexString(),
  tenantId: d.tenantId,
  purpose: d.purpose,
  invoiceId: d.invoiceId?.toHexString(),
  packageId: d.packageId,
  amount: d.amount,
  currency: d.currency,
  status: d.status,
  provider: d.provider ?? undefined,
  providerOrderId: d.providerOrderId ?? undefined,
  routing: d.routing ? { chosen: d.routing.chosen ?? undefined, reason: d.routing.reason, attempts: d.routing.attempts } : undefined,
  checkout: d.provider ? { provider: d.provider, ...d.checkout } : undefined,
  paidAt: d.capture?.at,
  fulfilled: !!d.fulfilledAt,
  createdAt: d.createdAt,
});
