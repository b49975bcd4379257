import { trusted, type Connection } from 'mongoose';
import type { ConsumerName } from '../events';
import { eventJobModel, type EventJobDoc } from './outbox.model';

/** The operator's views of the outbox (cli/events.ts). Deliveries carry ids only: safe to print. */
export interface ConsumerStatus {
  consumer: ConsumerName;
  /** Never tried yet. */
  pending: number;
  /** Failed at least once, waiting for the next attempt (or running one). */
  retrying: number;
  dead: number;
  done: number;
  /** The oldest delivery that is not done (lag), if any. */
  oldestOpen?: Date;
}

/** One row per consumer in `consumers` (subgraphs/events.ts CONSUMER_NAMES). */
export async function outboxStatus(platform: Connection, consumers: readonly ConsumerName[]): Promise<ConsumerStatus[]> {
  const Jobs = eventJobModel(platform);
  return Promise.all(
    consumers.map(async (consumer) => {
      const [pending, retrying, dead, done, oldest] = await Promise.all([
        Jobs.countDocuments({ consumer, status: 'pending', attempts: 0 }),
        Jobs.countDocuments({ consumer, status: 'pending', attempts: trusted({ $gt: 0 }) }),
        Jobs.countDocuments({ consumer, status: 'dead' }),
        Jobs.countDocuments({ consumer, status: 'done' }),
        Jobs.findOne({ consumer, status: trusted({ $in: ['pending', 'dead'] }) })
          .sort({ createdAt: 1 })
          .lean<EventJobDoc>(),
      ]);
      return { consumer, pending, retrying, dead, done, oldestOpen: oldest?.createdAt };
    }),
  );
}

export interface DeliveryFilter {
  tenantId?: string;
  consumer?: ConsumerName;
}

export interface DeliveryRow {
  id: string;
  eventId: string;
  name: string;
  consumer: string;
  tenantId: string;
  status: string;
  attempts: number;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

const row = (d: EventJobDoc): DeliveryRow => ({
  id: d._id,
  eventId: d.eventId,
  name: d.name,
  consumer: d.consumer,
  tenantId: d.tenantId,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  createdAt: d.createdAt,
  updatedAt: d.updatedAt,
});

const deadFilter = (f: DeliveryFilter) => ({
  status: 'dead' as const,
  ...(f.tenantId ? { tenantId: f.tenantId } : {}),
  ...(f.consumer ? { consumer: f.consumer } : {}),
});

/** Dead-lettered deliveries, newest first. */
export async function listDead(platform: Connection, f: DeliveryFilter & { limit?: number } = {}): Promise<DeliveryRow[]> {
  const docs = await eventJobModel(platform)
    .find(deadFilter(f))
    .sort({ updatedAt: -1 })
    .limit(f.limit ?? 100)
    .lean<EventJobDoc[]>();
  return docs.map(row);
}

/** Payload fields that are bearer secrets (a signed pay link) are never printed. */
const SECRET_FIELD = /url|token|secret/i;
const masked = (payload: Record<string, unknown>) => Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, SECRET_FIELD.test(k) ? '[masked]' : v]));

/** One event (by event id or delivery id `<consumer>|<eventId>`): its payload and every consumer's delivery. */
export async function showEvent(platform: Connection, id: string) {
  const eventId = id.includes('|') ? id.slice(id.indexOf('|') + 1) : id;
  const docs = await eventJobModel(platform).find({ eventId }).sort({ consumer: 1 }).lean<EventJobDoc[]>();
  if (!docs.length) return null;
  const { name, tenantId, payload, createdAt } = docs[0];
  return { eventId, name, tenantId, payload: masked(payload), createdAt, deliveries: docs.map(row) };
}

/**
 * Sends dead deliveries back to their consumer: pending, due now, with a fresh
 * attempt budget (attempt numbers keep counting, so old claims never collide).
 * `id` = one delivery id, or an event id (its dead deliveries); else all matching `f`.
 */
export async function replayDead(platform: Connection, target: { id?: string } & DeliveryFilter): Promise<{ replayed: string[] }> {
  const Jobs = eventJobModel(platform);
  const filter = target.id ? { ...deadFilter(target), ...(target.id.includes('|') ? { _id: target.id } : { eventId: target.id }) } : deadFilter(target);
  const docs = await Jobs.find(filter).lean<EventJobDoc[]>();
  for (const d of docs) {
    // Per document, from what was read: `base` restarts the budget at this replay.
    await Jobs.updateOne({ _id: d._id, status: 'dead' }, { $set: { status: 'pending', base: d.attempts, dueAt: new Date() } });
  }
  return { replayed: docs.map((d) => d._id) };
}
