import { EventEmitter } from 'node:events';
import Redis from 'ioredis';

/**
 * A topic name that carries its payload type `P` (only a type: at run time a string), so
 * `publish` and `subscribe` are checked. A plain string is a topic of unknown payload.
 */
export type Topic<P extends object = Record<string, unknown>> = string & { readonly __payload?: P };
export type Handler<P extends object = Record<string, unknown>> = (payload: P) => void;

/**
 * Topic-based publish/subscribe between services. In-process when everything
 * runs in one process; Redis when REDIS_URL is set, so every gateway and
 * subgraph instance hears every event exactly once.
 *
 * At most once: a process that is not listening misses the event. Use it for
 * live updates (`Topic`s: core/events.ts, subgraphs' events.ts), never for work another subgraph must
 * do — that is a durable domain event (`ctx.emit`, core/events/outbox.ts).
 */
export interface PubSub {
  publish<P extends object>(topic: Topic<P>, payload: P): Promise<void>;
  /** Resolves once the subscription is active; the returned function removes it. */
  subscribe<P extends object>(topic: Topic<P>, handler: Handler<P>): Promise<() => void>;
  /** Active handlers (lifecycle tests check it returns to its baseline). */
  listenerCount(): number;
  close(): Promise<void>;
}

export class InProcessPubSub implements PubSub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private count = 0;

  async publish<P extends object>(topic: Topic<P>, payload: P): Promise<void> {
    // Asynchronous like Redis, so a publisher never runs subscribers' work inline.
    setImmediate(() => this.emitter.emit(topic, payload));
  }

  async subscribe<P extends object>(topic: Topic<P>, handler: Handler<P>): Promise<() => void> {
    this.emitter.on(topic, handler);
    this.count++;
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.count--;
      this.emitter.off(topic, handler);
    };
  }

  listenerCount(): number {
    return this.count;
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
    this.count = 0;
  }
}

export class RedisPubSub implements PubSub {
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly local = new InProcessPubSub();
  /**
   * Redis channel → local handlers and the SUBSCRIBE that made it live (subscribe once
   * per channel per process). Every caller awaits that same SUBSCRIBE: a second
   * handler added while the first is still subscribing is not "active" before it.
   */
  private readonly channels = new Map<string, { handlers: number; live: Promise<unknown> }>();

  constructor(
    url: string,
    private readonly prefix = 'studyspot:',
  ) {
    this.pub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
    this.sub.on('message', (channel: string, message: string) => {
      const topic = channel.slice(this.prefix.length);
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(message) as Record<string, unknown>;
      } catch {
        return;
      }
      void this.local.publish(topic, payload);
    });
  }

  async publish<P extends object>(topic: Topic<P>, payload: P): Promise<void> {
    await this.pub.publish(this.prefix + topic, JSON.stringify(payload));
  }

  async subscribe<P extends object>(topic: Topic<P>, handler: Handler<P>): Promise<() => void> {
    const channel = this.channels.get(topic) ?? { handlers: 0, live: this.sub.subscribe(this.prefix + topic) };
    this.channels.set(topic, channel);
    channel.handlers++;
    const off = await this.local.subscribe(topic, handler);
    let active = true;
    const remove = () => {
      if (!active) return;
      active = false;
      off();
      if (--channel.handlers > 0 || this.channels.get(topic) !== channel) return;
      this.channels.delete(topic);
      void this.sub.unsubscribe(this.prefix + topic).catch(() => undefined);
    };
    try {
      await channel.live;
    } catch (err) {
      remove();
      throw err;
    }
    return remove;
  }

  listenerCount(): number {
    return this.local.listenerCount();
  }

  async close(): Promise<void> {
    await this.local.close();
    this.sub.disconnect();
    this.pub.disconnect();
  }
}

export function createPubSub(redisUrl?: string): PubSub {
  return redisUrl ? new RedisPubSub(redisUrl) : new InProcessPubSub();
}
