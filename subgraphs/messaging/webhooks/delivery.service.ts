import { randomUUID } from 'node:crypto';
import { trusted, Types, type Connection } from 'mongoose';
import { AppError, conflict } from '../../../core/errors';
import type { KeyRing } from '../../../core/security/secret-box';
import { isDuplicateKey, isOnlyDuplicateKeys } from '../../../core/store/duplicate-key';
import { changeStatus } from '../../../core/tenancy/status-claims';
import type { OutboundWebhookOptions } from '../messaging.env';
import { AttemptOutcome, DeliveryStatus, webhookAttemptModel, webhookDeliveryModel, type WebhookAttemptDoc, type WebhookDeliveryDoc } from './delivery.model';
import { DisabledReason, EndpointStatus, webhookEndpointClaimModel, webhookEndpointModel, type WebhookEndpointDoc } from './endpoint.model';
import { postWebhook } from './sender.service';
import { liveSecrets, signedHeaders } from './signature.service';

/** What attempts need besides the tenant database: the key ring that opens secrets, options, and how owners are told. */
export interface AttemptEnv {
  conn: Connection;
  ring: KeyRing;
  opts: OutboundWebhookOptions;
  /** Tells the tenant's owners an endpoint was disabled (messaging notification, once per disable). */
  notifyDisabled: (endpoint: WebhookEndpointDoc, reason: DisabledReason, seq: number) => Promise<void>;
}

export type AttemptTrigger = 'SCHEDULE' | 'REPLAY' | 'PING';

/** Queues `body` for each endpoint once: a duplicate (endpoint, event) is someone else's insert of the same thing. */
export async function enqueueDeliveries(conn: Connection, endpoints: readonly Types.ObjectId[], event: { id: string; type: string; body: string }, now: Date) {
  if (!endpoints.length) return;
  const docs = endpoints.map((endpointId) => ({
    endpointId,
    eventId: event.id,
    eventType: event.type,
    body: event.body,
    status: DeliveryStatus.PENDING,
    attempts: 0,
    nextAttemptAt: now,
  }));
  try {
    await webhookDeliveryModel(conn).insertMany(docs, { ordered: false });
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err;
  }
}

/** The lease of a claimed attempt: long enough to send and record it. */
const leaseMs = (opts: OutboundWebhookOptions) => opts.timeoutMs * 2 + 5000;

/**
 * Claims the next attempt number of `d` by inserting its attempt document (unique `_id`
 * `<delivery>#<n>`): two workers never hold the same attempt. A scheduled claim gives up
 * when a live lease holds attempt n, and when the delivery moved on meanwhile (sent,
 * rescheduled); a person's replay or ping just takes the next free number.
 */
async function claimAttempt(env: AttemptEnv, d: WebhookDeliveryDoc, trigger: AttemptTrigger): Promise<number | null> {
  const Attempts = webhookAttemptModel(env.conn);
  for (let n = d.attempts + 1; n <= d.attempts + 50; n++) {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + leaseMs(env.opts));
    try {
      await Attempts.create({
        _id: `${d._id.toHexString()}#${n}`,
        deliveryId: d._id,
        endpointId: d.endpointId,
        attempt: n,
        trigger,
        outcome: AttemptOutcome.SENDING,
        leaseUntil,
        at: now,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (trigger !== 'SCHEDULE') continue;
      const held = await Attempts.findById(`${d._id.toHexString()}#${n}`).lean<WebhookAttemptDoc>();
      if (held?.outcome === AttemptOutcome.SENDING && held.leaseUntil > now) return null;
      continue; // finished, or its worker died: that attempt counts
    }
    if (trigger !== 'SCHEDULE') return n;
    // Our read of the delivery may be old: another worker may have sent or rescheduled it.
    const fresh = await webhookDeliveryModel(env.conn).findById(d._id).lean<WebhookDeliveryDoc>();
    if (fresh?.status !== DeliveryStatus.PENDING || (fresh.nextAttemptAt && fresh.nextAttemptAt > now)) {
      await Attempts.deleteOne({ _id: `${d._id.toHexString()}#${n}` });
      return null;
    }
    await webhookDeliveryModel(env.conn).updateOne({ _id: d._id }, { $set: { nextAttemptAt: leaseUntil } });
    return n;
  }
  return null;
}

/**
 * One attempt of delivery `d` to `ep`: claim, sign with every live secret, POST, record.
 * A scheduled failure reschedules (or FAILs after the last retry); a replay or ping only
 * adds its attempt. 410 Gone disables the endpoint; failures for `disableAfterMs` do too.
 * Returns the attempt as recorded, or null when another worker holds this delivery.
 */
export async function attemptDelivery(
  env: AttemptEnv,
  d: WebhookDeliveryDoc,
  ep: WebhookEndpointDoc,
  trigger: AttemptTrigger,
): Promise<WebhookAttemptDoc | null> {
  const n = await claimAttempt(env, d, trigger);
  if (n === null) return null;
  const at = new Date();
  const secrets = liveSecrets(env.ring, ep.secrets, at);
  const result = await postWebhook(new URL(ep.url), signedHeaders(d.eventId, d.body, secrets, at), d.body, env.opts.timeoutMs, env.opts.allowPrivateTargets);
  const done = new Date();
  const outcome = result.ok ? AttemptOutcome.SUCCEEDED : AttemptOutcome.FAILED;
  const attemptId = `${d._id.toHexString()}#${n}`;
  const recorded = {
    outcome,
    responseCode: result.status,
    latencyMs: result.latencyMs,
    errorClass: result.errorClass,
    responseBody: result.responseBody,
    at: done,
  };
  await webhookAttemptModel(env.conn).updateOne({ _id: attemptId }, { $set: recorded });
  const Deliveries = webhookDeliveryModel(env.conn);
  const base = { lastResponseCode: result.status, lastError: result.errorClass };
  if (result.ok) {
    await Deliveries.updateOne(
      { _id: d._id },
      { $set: { ...base, status: DeliveryStatus.DELIVERED, deliveredAt: done, nextAttemptAt: null }, $max: { attempts: n } },
    );
    if (ep.failingSince) await webhookEndpointModel(env.conn).updateOne({ _id: ep._id }, { $set: { failingSince: null } });
  } else {
    const final = trigger === 'PING' || (trigger === 'SCHEDULE' && n > env.opts.scheduleMs.length);
    const next = trigger === 'SCHEDULE' && !final ? { nextAttemptAt: new Date(done.getTime() + env.opts.scheduleMs[n - 1]) } : {};
    await Deliveries.updateOne(
      { _id: d._id, status: DeliveryStatus.PENDING },
      { $set: { ...base, ...next, ...(final ? { status: DeliveryStatus.FAILED, nextAttemptAt: null } : {}) }, $max: { attempts: n } },
    );
    if (final) await keepDelivered(env.conn, d._id);
    await afterFailure(env, ep, result.status, done);
  }
  return { _id: attemptId, deliveryId: d._id, endpointId: d.endpointId, attempt: n, trigger, leaseUntil: done, ...recorded };
}

/** A FAILED written over a replay's concurrent success (no transactions): the success wins. */
async function keepDelivered(conn: Connection, deliveryId: Types.ObjectId) {
  const won = await webhookAttemptModel(conn).findOne({ deliveryId, outcome: AttemptOutcome.SUCCEEDED }).lean<WebhookAttemptDoc>();
  if (won)
    await webhookDeliveryModel(conn).updateOne({ _id: deliveryId }, { $set: { status: DeliveryStatus.DELIVERED, deliveredAt: won.at, nextAttemptAt: null } });
}

/** 410 Gone disables at once; otherwise failing since `failingSince` for disableAfterMs does. */
async function afterFailure(env: AttemptEnv, ep: WebhookEndpointDoc, status: number | null, at: Date) {
  if (status === 410) return disableEndpoint(env, ep._id, DisabledReason.GONE);
  const Endpoints = webhookEndpointModel(env.conn);
  // Racing writers all write "about now": whichever lands, the 24 h clock starts at the first failure.
  if (!ep.failingSince) await Endpoints.updateOne({ _id: ep._id, failingSince: null }, { $set: { failingSince: at } });
  const since = ep.failingSince ?? at;
  if (at.getTime() - since.getTime() >= env.opts.disableAfterMs) await disableEndpoint(env, ep._id, DisabledReason.FAILING);
}

/**
 * ACTIVE → DISABLED with a status claim (one winner among racing workers and people), then
 * the winner tells the owners. False when it was not active.
 */
export async function disableEndpoint(env: Pick<AttemptEnv, 'conn' | 'notifyDisabled'>, id: Types.ObjectId, reason: DisabledReason): Promise<boolean> {
  let doc: WebhookEndpointDoc;
  try {
    doc = await changeStatus<WebhookEndpointDoc>(webhookEndpointModel(env.conn), webhookEndpointClaimModel(env.conn), id, {
      from: [EndpointStatus.ACTIVE],
      set: { status: EndpointStatus.DISABLED, disabledReason: reason, disabledAt: new Date() },
      refuse: () => conflict('The webhook endpoint is already disabled', 'id'),
      entity: 'Webhook endpoint',
    });
  } catch (err) {
    if (err instanceof AppError && (err.extensions.code === 'CONFLICT' || err.extensions.code === 'NOT_FOUND')) return false;
    throw err;
  }
  if (reason !== DisabledReason.MANUAL) await env.notifyDisabled(doc, reason, (doc as WebhookEndpointDoc & { statusSeq: number }).statusSeq);
  return true;
}

/**
 * One worker pass over a tenant: every due pending delivery gets its next attempt,
 * unless another worker holds it. Deliveries of a disabled or deleted endpoint end FAILED
 * unsent (replay them after re-enabling). Safe on several instances at once.
 */
export async function runDueDeliveries(env: AttemptEnv, now = new Date()): Promise<number> {
  const due = await webhookDeliveryModel(env.conn)
    .find({ status: DeliveryStatus.PENDING, nextAttemptAt: trusted({ $lte: now }) })
    .sort({ nextAttemptAt: 1 })
    .limit(env.opts.batchSize)
    .lean<WebhookDeliveryDoc[]>();
  if (!due.length) return 0;
  const ids = [...new Set(due.map((d) => d.endpointId.toHexString()))].map((id) => new Types.ObjectId(id));
  const endpoints = new Map(
    (
      await webhookEndpointModel(env.conn)
        .find({ _id: trusted({ $in: ids }) })
        .lean<WebhookEndpointDoc[]>()
    ).map((e) => [e._id.toHexString(), e]),
  );
  const sent = await Promise.all(
    due.map(async (d) => {
      const ep = endpoints.get(d.endpointId.toHexString());
      if (!ep || ep.status !== EndpointStatus.ACTIVE) {
        const lastError = ep ? 'ENDPOINT_DISABLED' : 'ENDPOINT_DELETED';
        await webhookDeliveryModel(env.conn).updateOne(
          { _id: d._id, status: DeliveryStatus.PENDING },
          { $set: { status: DeliveryStatus.FAILED, nextAttemptAt: null, lastError } },
        );
        return 0;
      }
      return (await attemptDelivery(env, d, ep, 'SCHEDULE')) ? 1 : 0;
    }),
  );
  return sent.reduce<number>((a, b) => a + b, 0);
}

/** A ping's delivery: its own event id, sent once now (never retried), whatever the endpoint subscribes to. */
export async function pingEndpoint(env: AttemptEnv, ep: WebhookEndpointDoc, tenantId: string): Promise<WebhookAttemptDoc> {
  const id = `evt_${randomUUID().replace(/-/g, '')}`;
  const timestamp = new Date().toISOString();
  const body = JSON.stringify({ type: 'webhook.test', version: 1, id, timestamp, tenantId, data: { endpointId: ep._id.toHexString() } });
  const doc = await webhookDeliveryModel(env.conn).create({
    endpointId: ep._id,
    eventId: id,
    eventType: 'webhook.test',
    body,
    status: DeliveryStatus.PENDING,
    attempts: 0,
    nextAttemptAt: null,
  });
  return (await attemptDelivery(env, doc.toObject(), ep, 'PING'))!;
}

/** How long settled deliveries and their attempts stay in the log. */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;

/** Deletes settled (DELIVERED, FAILED) deliveries last changed before `before`, with their attempts, a batch at a time. */
export async function pruneDeliveries(conn: Connection, before: Date, batch = 1000): Promise<number> {
  const old = await webhookDeliveryModel(conn)
    .find({ status: trusted({ $in: [DeliveryStatus.DELIVERED, DeliveryStatus.FAILED] }), updatedAt: trusted({ $lt: before }) }, { _id: 1 })
    .limit(batch)
    .lean<Pick<WebhookDeliveryDoc, '_id'>[]>();
  if (!old.length) return 0;
  const ids = old.map((d) => d._id);
  // Attempts first: a crash in between leaves deliveries without a log, never a log without its delivery.
  await webhookAttemptModel(conn).deleteMany({ deliveryId: trusted({ $in: ids }) });
  await webhookDeliveryModel(conn).deleteMany({ _id: trusted({ $in: ids }) });
  return ids.length;
}
