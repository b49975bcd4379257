import { trusted, Types } from 'mongoose';
import { conflict, forbidden, notFound } from '../../../core/errors';
import { decodeCursor, encodeCursor, parseId } from '../../../core/ids';
import { can, PARTNER_ROLE } from '../../../core/permissions/catalog';
import { changeStatus } from '../../../core/tenancy/status-claims';
import type { MessagingContext } from '../context';
import { outboundWebhookOptions } from '../messaging.env';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_VERSION } from './catalog.events';
import { webhookAttemptModel, webhookDeliveryModel, type WebhookAttemptDoc, type WebhookDeliveryDoc } from './delivery.model';
import { attemptDelivery, disableEndpoint, pingEndpoint, type AttemptEnv } from './delivery.service';
import type { CreateWebhookEndpointInput, RotateWebhookSecretArgs, UpdateWebhookEndpointInput, WebhookDeliveriesArgs } from './endpoint.input';
import { DisabledReason, EndpointStatus, webhookEndpointClaimModel, webhookEndpointModel, type WebhookEndpointDoc } from './endpoint.model';
import { disabledNotifier } from './notice.service';
import { newSecret, sealSecret } from './signature.service';
import { checkTargetUrl } from './target.service';

/** Endpoints per tenant: enough for several partners and systems, bounded fan-out per event. */
export const MAX_ENDPOINTS = 20;

const options = (ctx: MessagingContext) => ctx.services.outbound ?? outboundWebhookOptions();

/** The partner key calling, or null for a tenant user: a key sees and manages only its own endpoints. */
const callerKey = (ctx: MessagingContext): string | null => (ctx.auth?.role === PARTNER_ROLE ? ctx.auth.sub.replace(/^apikey:/, '') : null);
const ownFilter = (ctx: MessagingContext) => {
  const key = callerKey(ctx);
  return key ? { apiKeyId: key } : {};
};

async function attemptEnv(ctx: MessagingContext): Promise<AttemptEnv> {
  const conn = await ctx.tenantDb();
  const tenantId = (await ctx.tenant())._id.toHexString();
  return { conn, ring: ctx.config.security.accountKeys, opts: options(ctx), notifyDisabled: disabledNotifier(conn, ctx.publish, tenantId) };
}

/** Another tenant's endpoint, or another key's, is NOT_FOUND (never FORBIDDEN: its existence is not revealed). */
async function ownEndpoint(ctx: MessagingContext, id: string): Promise<WebhookEndpointDoc> {
  const doc = await webhookEndpointModel(await ctx.tenantDb())
    .findOne({ _id: parseId(id, 'id'), ...ownFilter(ctx) })
    .lean<WebhookEndpointDoc>();
  if (!doc) throw notFound('Webhook endpoint');
  return doc;
}

/** The caller may subscribe to a type only with the permission (or scope) its payload needs. */
function assertMaySubscribe(ctx: MessagingContext, types: readonly string[]) {
  for (const type of types) {
    const spec = WEBHOOK_EVENT_TYPES.find((s) => s.type === type);
    if (spec?.requires && !can(ctx.auth!, spec.requires)) throw forbidden(`Subscribing to ${type} needs ${spec.requires}`);
  }
}

export const listEventTypes = () => WEBHOOK_EVENT_TYPES.map((s) => ({ ...s, version: WEBHOOK_PAYLOAD_VERSION }));

export async function listEndpoints(ctx: MessagingContext) {
  const docs = await webhookEndpointModel(await ctx.tenantDb())
    .find(ownFilter(ctx))
    .sort({ createdAt: -1, _id: -1 })
    .lean<WebhookEndpointDoc[]>();
  return docs.map(toEndpoint);
}

export async function getEndpoint(ctx: MessagingContext, id: string) {
  return toEndpoint(await ownEndpoint(ctx, id));
}

export async function createEndpoint(ctx: MessagingContext, input: CreateWebhookEndpointInput) {
  assertMaySubscribe(ctx, input.eventTypes);
  const url = await checkTargetUrl(input.url, options(ctx).allowPrivateTargets);
  const Endpoints = webhookEndpointModel(await ctx.tenantDb());
  if ((await Endpoints.countDocuments({})) >= MAX_ENDPOINTS) throw conflict(`A tenant has at most ${MAX_ENDPOINTS} webhook endpoints`);
  const secret = newSecret();
  const doc = await Endpoints.create({
    url: url.toString(),
    description: input.description ?? null,
    eventTypes: [...new Set(input.eventTypes)],
    apiKeyId: callerKey(ctx),
    secrets: [sealSecret(ctx.config.security.accountKeys, secret, new Date())],
    createdBy: ctx.auth!.sub,
  });
  return { secret, endpoint: toEndpoint(doc.toObject()) };
}

export async function updateEndpoint(ctx: MessagingContext, id: string, input: UpdateWebhookEndpointInput) {
  const doc = await ownEndpoint(ctx, id);
  const set: Record<string, unknown> = {};
  if (input.eventTypes) {
    // A key's endpoint carries only what the key's scopes allow: only that key may change its types.
    if (doc.apiKeyId && callerKey(ctx) !== doc.apiKeyId) throw forbidden('Only the API key that owns this endpoint may change its event types');
    assertMaySubscribe(ctx, input.eventTypes);
    set.eventTypes = [...new Set(input.eventTypes)];
  }
  if (input.url) set.url = (await checkTargetUrl(input.url, options(ctx).allowPrivateTargets)).toString();
  if (input.description !== undefined) set.description = input.description;
  const updated = await webhookEndpointModel(await ctx.tenantDb())
    .findByIdAndUpdate(doc._id, { $set: set }, { returnDocument: 'after' })
    .lean<WebhookEndpointDoc>();
  return toEndpoint(updated!);
}

export async function disableOwnEndpoint(ctx: MessagingContext, id: string) {
  const doc = await ownEndpoint(ctx, id);
  if (doc.status !== EndpointStatus.ACTIVE) return toEndpoint(doc);
  await disableEndpoint(await attemptEnv(ctx), doc._id, DisabledReason.MANUAL);
  return getEndpoint(ctx, id);
}

/** Back to ACTIVE with a clean failure clock; a revoked key's endpoint stays off (CONFLICT). */
export async function enableEndpoint(ctx: MessagingContext, id: string) {
  const doc = await ownEndpoint(ctx, id);
  if (doc.disabledReason === DisabledReason.KEY_REVOKED) throw conflict('The API key that owns this endpoint was revoked', 'id');
  if (doc.status === EndpointStatus.ACTIVE) return toEndpoint(doc);
  const conn = await ctx.tenantDb();
  const after = await changeStatus<WebhookEndpointDoc>(webhookEndpointModel(conn), webhookEndpointClaimModel(conn), doc._id, {
    from: [EndpointStatus.DISABLED],
    set: { status: EndpointStatus.ACTIVE, disabledReason: null, disabledAt: null, failingSince: null },
    refuse: () => conflict('The webhook endpoint is already active', 'id'),
    entity: 'Webhook endpoint',
  });
  return toEndpoint(after);
}

/** Deletes the endpoint with its deliveries and their log. */
export async function deleteEndpoint(ctx: MessagingContext, id: string): Promise<boolean> {
  const doc = await ownEndpoint(ctx, id);
  const conn = await ctx.tenantDb();
  await webhookEndpointModel(conn).deleteOne({ _id: doc._id });
  await webhookDeliveryModel(conn).deleteMany({ endpointId: doc._id });
  await webhookAttemptModel(conn).deleteMany({ endpointId: doc._id });
  return true;
}

/** A new secret signs from now on; older ones keep signing beside it for `overlapHours` (receivers switch meanwhile). */
export async function rotateSecret(ctx: MessagingContext, { id, overlapHours }: RotateWebhookSecretArgs) {
  const doc = await ownEndpoint(ctx, id);
  const now = new Date();
  const until = new Date(now.getTime() + overlapHours * 3600_000);
  const kept = doc.secrets
    .filter((s) => !s.expiresAt || s.expiresAt > now)
    .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until }))
    .filter((s) => s.expiresAt > now);
  const secret = newSecret();
  const secrets = [sealSecret(ctx.config.security.accountKeys, secret, now), ...kept];
  const updated = await webhookEndpointModel(await ctx.tenantDb())
    .findByIdAndUpdate(doc._id, { $set: { secrets } }, { returnDocument: 'after' })
    .lean<WebhookEndpointDoc>();
  return { secret, endpoint: toEndpoint(updated!) };
}

export async function pingOwnEndpoint(ctx: MessagingContext, id: string) {
  const doc = await ownEndpoint(ctx, id);
  const tenantId = (await ctx.tenant())._id.toHexString();
  return toAttempt(await pingEndpoint(await attemptEnv(ctx), doc, tenantId));
}

/** A new attempt now with the same webhook-id and body; the endpoint must be active. */
export async function replayDelivery(ctx: MessagingContext, id: string) {
  const d = await ownDelivery(ctx, id);
  const ep = await ownEndpoint(ctx, d.endpointId.toHexString());
  if (ep.status !== EndpointStatus.ACTIVE) throw conflict('The webhook endpoint is disabled: enable it first', 'id');
  return toAttempt((await attemptDelivery(await attemptEnv(ctx), d, ep, 'REPLAY'))!);
}

async function ownDelivery(ctx: MessagingContext, id: string): Promise<WebhookDeliveryDoc> {
  const d = await webhookDeliveryModel(await ctx.tenantDb())
    .findById(parseId(id, 'id'))
    .lean<WebhookDeliveryDoc>();
  if (!d) throw notFound('Webhook delivery');
  await ownEndpoint(ctx, d.endpointId.toHexString()).catch(() => {
    throw notFound('Webhook delivery');
  });
  return d;
}

/** An endpoint's deliveries, newest first, a page at a time (cursor = the last id). */
export async function listDeliveries(ctx: MessagingContext, args: WebhookDeliveriesArgs, first: number) {
  const ep = await ownEndpoint(ctx, args.endpointId);
  const filter: Record<string, unknown> = { endpointId: ep._id };
  if (args.status) filter.status = args.status;
  if (args.after) filter._id = trusted({ $lt: decodeCursor(args.after) });
  const docs = await webhookDeliveryModel(await ctx.tenantDb())
    .find(filter)
    .sort({ _id: -1 })
    .limit(first + 1)
    .lean<WebhookDeliveryDoc[]>();
  const page = docs.slice(0, first);
  return { nodes: page.map(toDelivery), nextCursor: docs.length > first ? encodeCursor(page[page.length - 1]._id) : null };
}

export async function listAttempts(ctx: MessagingContext, deliveryId: string) {
  const d = await ownDelivery(ctx, deliveryId);
  const docs = await webhookAttemptModel(await ctx.tenantDb())
    .find({ deliveryId: d._id })
    .sort({ attempt: 1 })
    .lean<WebhookAttemptDoc[]>();
  return docs.map(toAttempt);
}

export const toEndpoint = (d: WebhookEndpointDoc) => ({
  id: d._id.toHexString(),
  url: d.url,
  description: d.description ?? null,
  eventTypes: d.eventTypes,
  status: d.status,
  disabledReason: d.disabledReason ?? null,
  disabledAt: d.disabledAt ?? null,
  apiKeyId: d.apiKeyId ?? null,
  failingSince: d.failingSince ?? null,
  previousSecretExpiresAt: d.secrets.slice(1).reduce<Date | null>((m, s) => (s.expiresAt && (!m || s.expiresAt > m) ? s.expiresAt : m), null),
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const toDelivery = (d: WebhookDeliveryDoc) => ({
  id: d._id.toHexString(),
  endpointId: d.endpointId.toHexString(),
  eventId: d.eventId,
  eventType: d.eventType,
  payload: d.body,
  status: d.status,
  attempts: d.attempts,
  nextAttemptAt: d.nextAttemptAt ?? null,
  lastResponseCode: d.lastResponseCode ?? null,
  lastError: d.lastError ?? null,
  deliveredAt: d.deliveredAt ?? null,
  createdAt: d.createdAt,
});

const toAttempt = (a: WebhookAttemptDoc) => ({
  deliveryId: (a.deliveryId instanceof Types.ObjectId ? a.deliveryId : new Types.ObjectId(String(a.deliveryId))).toHexString(),
  attempt: a.attempt,
  trigger: a.trigger,
  outcome: a.outcome,
  responseCode: a.responseCode ?? null,
  latencyMs: a.latencyMs ?? null,
  errorClass: a.errorClass ?? null,
  responseBody: a.responseBody ?? null,
  at: a.at,
});
