import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { trusted, type Connection } from 'mongoose';
import { consumersOf, topics, type ConsumedBy, type ConsumerName, type ConsumerTable, type DomainEvent, type DomainEventName, type Emit } from '../events';
import type { ContextDeps } from '../context';
import type { Logger } from '../logger';
import type { PubSub } from '../pubsub';
import { isDuplicateKey, isOnlyDuplicateKeys } from '../store/duplicate-key';
import { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from './options';
import { eventClaimModel, eventJobModel, type EventJobDoc } from './outbox.model';

/**
 * Durable domain events on MongoDB (FerretDB-safe: single-document inserts with
 * unique ids are the only guard; no transactions, change streams or conditional
 * updates are relied on). docs/architecture.md "Domain events" says why.
 */
export { DEFAULT_OUTBOX_OPTIONS, type OutboxOptions };

/** The delay before attempt `attempt + 1` after `attempt` failed. */
export function backoffDelay(attempt: number, o: Pick<OutboxOptions, 'backoffMs' | 'backoffMaxMs'>, random = Math.random): number {
  const exp = Math.min(o.backoffMaxMs, o.backoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.min(o.backoffMaxMs, exp * (0.5 + random())));
}

/** Error text kept on a delivery: short, first line only (handlers' errors name ids, not people). */
const errorText = (err: unknown) => {
  const e = err as { name?: string; message?: string; extensions?: { code?: string } };
  const code = e?.extensions?.code ? `${e.extensions.code}: ` : '';
  return `${code}${String(e?.message ?? err).split('\n')[0]}`.slice(0, 300);
};

/**
 * Writes one delivery per consumer of `name` in `consumers` (the system's table,
 * subgraphs/events.ts DOMAIN_CONSUMERS; one insertMany, unordered);
 * duplicates — the same event emitted again — are ignored. Then a best-effort
 * wake-up on the bus. Throws when the store refused anything else.
 */
export async function emitEvent<N extends DomainEventName>(
  platform: Connection,
  pubsub: PubSub | undefined,
  table: ConsumerTable,
  name: N,
  payload: DomainEvent<N>,
  key?: string,
): Promise<string> {
  const eventId = `${name}:${key ?? randomUUID()}`;
  const consumers = consumersOf(table, name);
  if (!consumers.length) return eventId;
  const now = new Date();
  const docs = consumers.map((consumer) => ({
    _id: `${consumer}|${eventId}`,
    eventId,
    name,
    consumer,
    tenantId: payload.tenantId,
    payload: { ...payload },
    status: 'pending',
    attempts: 0,
    base: 0,
    dueAt: now,
    createdAt: now,
    updatedAt: now,
  }));
  try {
    await eventJobModel(platform).collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    if (!isOnlyDuplicateKeys(err)) throw err;
  }
  await pubsub?.publish(topics.eventsWake, { consumers }).catch(() => undefined);
  return eventId;
}

/** `emitEvent` bound to a service's database, bus and consumer table: what `ctx.emit` and background jobs use. */
export const emitterFor =
  (platform: () => Connection, pubsub: PubSub | undefined, table: ConsumerTable): Emit =>
  (name, payload, key) =>
    emitEvent(platform(), pubsub, table, name, payload, key);

/** The emitter of a subgraph's background work (webhooks, periodic jobs): its deps' database, bus and table. */
export const emitterOf = (deps: Pick<ContextDeps, 'db' | 'pubsub' | 'consumers'>): Emit => emitterFor(() => deps.db.platform(), deps.pubsub, deps.consumers);

/** What a handler gets: the event and which attempt this is (1 = first). */
export interface Delivery<N extends DomainEventName = DomainEventName> {
  eventId: string;
  name: N;
  event: DomainEvent<N>;
  attempt: number;
}

/** Resolve = done; throw = retry later (then dead-letter). Must be idempotent: a delivery can run twice. */
export type EventHandler<C extends ConsumerName> = (d: Delivery<ConsumedBy<C>>) => Promise<void>;

export interface ConsumerDeps {
  platform: () => Connection;
  pubsub?: PubSub;
  log: Logger;
}

export interface RunningConsumer {
  /** Runs one poll now and resolves when its deliveries are settled (tests, CLI). */
  poll(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Runs `handler` for every delivery of consumer `name`: polls every `pollMs`
 * and whenever an emit wakes it; claims each attempt with a unique insert, so
 * one process handles it even with many instances; retries with exponential
 * backoff and jitter; dead-letters after `maxAttempts`. Stop waits for running handlers.
 */
export function useConsumer<C extends ConsumerName>(
  deps: ConsumerDeps,
  name: C,
  handler: EventHandler<C>,
  options: Partial<OutboxOptions> = {},
): RunningConsumer {
  const o = { ...DEFAULT_OUTBOX_OPTIONS, ...options };
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const log = deps.log.child({ consumer: name });
  let stopped = false;
  let running: Promise<number> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void kick(), ms);
    timer.unref();
  };
  /** One poll at a time; a wake-up during a poll asks for another right after. */
  const kick = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = pollOnce()
      .catch((err: unknown) => {
        log.error({ err }, 'event consumer poll failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        const more = again;
        again = false;
        schedule(more ? 0 : o.pollMs);
      });
    return running;
  };

  async function pollOnce(): Promise<number> {
    if (stopped) return 0;
    const now = new Date();
    const jobs = await eventJobModel(deps.platform())
      .find({ consumer: name, status: 'pending', dueAt: trusted({ $lte: now }) })
      .sort({ dueAt: 1 })
      .limit(o.batchSize)
      .lean<EventJobDoc[]>();
    const settled = await Promise.all(
      jobs.map((job) =>
        runJob(job).catch((err: unknown) => {
          log.error({ err, eventId: job.eventId }, 'event delivery bookkeeping failed');
          return false;
        }),
      ),
    );
    if (jobs.length === o.batchSize) again = true;
    await prune(now);
    return settled.filter(Boolean).length;
  }

  /** Claims the next attempt of `job` and runs it; false when someone else holds it. */
  async function runJob(job: EventJobDoc): Promise<boolean> {
    const Jobs = eventJobModel(deps.platform());
    const attempt = await claim(job);
    if (attempt === null) return false;
    if (attempt - job.base > o.maxAttempts) {
      await Jobs.updateOne({ _id: job._id }, { $set: { status: 'dead', attempts: attempt - 1 } });
      log.warn({ eventId: job.eventId, attempts: attempt - 1 }, 'domain event dead-lettered');
      return true;
    }
    try {
      await handler({ eventId: job.eventId, name: job.name as never, event: job.payload as never, attempt });
    } catch (err) {
      const lastError = errorText(err);
      if (attempt - job.base >= o.maxAttempts) {
        await Jobs.updateOne({ _id: job._id }, { $set: { status: 'dead', attempts: attempt, lastError } });
        log.warn({ eventId: job.eventId, attempts: attempt, error: lastError }, 'domain event dead-lettered');
      } else {
        const dueAt = new Date(Date.now() + backoffDelay(attempt, o));
        await Jobs.updateOne({ _id: job._id }, { $set: { attempts: attempt, dueAt, lastError } });
        log.warn({ eventId: job.eventId, attempt, error: lastError }, 'domain event handler failed: will retry');
      }
      return true;
    }
    await Jobs.updateOne({ _id: job._id }, { $set: { status: 'done', attempts: attempt, doneAt: new Date() } });
    return true;
  }

  /**
   * The next attempt number this process now holds, or null. Attempt n is
   * `<jobId>#n`, unique: a duplicate means another process has it — alive (lease
   * not over: leave it) or dead (lease over: that attempt counts, claim n + 1).
   * The claimed job's dueAt moves to the lease end, so polls skip it meanwhile.
   */
  async function claim(job: EventJobDoc): Promise<number | null> {
    const Claims = eventClaimModel(deps.platform());
    for (let attempt = job.attempts + 1; attempt <= job.attempts + 1 + o.maxAttempts; attempt++) {
      const leaseUntil = new Date(Date.now() + o.leaseMs);
      try {
        await Claims.create({ _id: `${job._id}#${attempt}`, owner, leaseUntil });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        const held = await Claims.findById(`${job._id}#${attempt}`).lean();
        if (held && held.leaseUntil > new Date()) return null;
        // That attempt's process died (or finished without recording it): move on.
        continue;
      }
      // Our read of the job may be old (another instance finished it meanwhile): look again.
      const Jobs = eventJobModel(deps.platform());
      const fresh = await Jobs.findById(job._id).lean<EventJobDoc>();
      if (fresh?.status !== 'pending') return null;
      await Jobs.updateOne({ _id: job._id }, { $set: { dueAt: leaseUntil } });
      return attempt;
    }
    return null;
  }

  async function prune(now: Date): Promise<void> {
    if (!o.retentionDays || now.getTime() - lastPrune < 3_600_000) return;
    lastPrune = now.getTime();
    const before = new Date(now.getTime() - o.retentionDays * 86_400_000);
    await eventJobModel(deps.platform()).deleteMany({ consumer: name, status: 'done', doneAt: trusted({ $lt: before }) });
    await eventClaimModel(deps.platform()).deleteMany({ _id: trusted({ $regex: `^${name.replace('.', '\\.')}\\|` }), createdAt: trusted({ $lt: before }) });
  }

  const offWake = deps.pubsub
    ?.subscribe(topics.eventsWake, (p) => {
      if (Array.isArray(p.consumers) && p.consumers.includes(name)) void kick();
    })
    .catch((err: unknown) => {
      log.warn({ err }, 'event wake-up unavailable: polling only');
      return () => undefined;
    });
  schedule(0);

  return {
    poll: () => kick(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      (await offWake)?.();
      await running;
    },
  };
}

/** `useConsumer` with a service's database, bus, logger and EVENTS_* settings (the subgraphs' start-up). */
export function startConsumer<C extends ConsumerName>(deps: ContextDeps, name: C, handler: EventHandler<C>): RunningConsumer {
  // A consumer missing from the table would never get a delivery: refuse to start it silently idle.
  if (!deps.consumers[name]) throw new Error(`Domain-event consumer ${name} is not declared in any subgraph's events.ts`);
  return useConsumer({ platform: () => deps.db.platform(), pubsub: deps.pubsub, log: deps.log }, name, handler, deps.config.events);
}
